import type { TeacherProfileDocument } from '../teacher-profile.schema';
import type { TeacherProfileContent } from '../teacher.types';
import { roundCoordinate, unitVector } from './geo';
import { prefixTokens, tagKey, wholeWords } from './text-tokens';

export type SearchFields = Pick<TeacherProfileDocument, 'facetKeys' | 'search' | 'geo'> & {
  instruments: TeacherProfileDocument['instruments'];
};

/** Filter keys, tokens and public position of a profile: recomputed on every write of its content. */
export function searchFieldsOf(content: TeacherProfileContent, displayName: string): SearchFields {
  const instruments = content.instruments.map((i) => ({ name: i.name, key: tagKey(i.name), levels: i.levels }));
  const levels = [...new Set(instruments.flatMap((i) => i.levels))];
  const facetKeys = [
    ...instruments.map((i) => `i:${i.key}`),
    ...instruments.flatMap((i) => i.levels.map((l) => `il:${i.key}:${l}`)),
    ...levels.map((l) => `l:${l}`),
    ...content.genres.map((g) => `g:${tagKey(g)}`),
    ...content.languages.map((l) => `lang:${l}`),
    ...content.formats.map((f) => `f:${f}`),
  ];
  const keyTexts = [displayName, ...content.instruments.map((i) => i.name), ...content.genres];
  const allTexts = [...keyTexts, content.headline ?? ''];
  let geo: SearchFields['geo'] = null;
  if (content.location) {
    const lat = roundCoordinate(content.location.latitude);
    const lng = roundCoordinate(content.location.longitude);
    geo = { lat, lng, ...unitVector(lat, lng) };
  }
  return {
    instruments,
    facetKeys: [...new Set(facetKeys)],
    search: { tokens: prefixTokens(allTexts), keyTokens: prefixTokens(keyTexts), words: wholeWords(allTexts) },
    geo,
  };
}
