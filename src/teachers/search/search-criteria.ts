import { createHash } from 'node:crypto';
import type { LessonFormat } from '../teacher-scheduling';
import type { SkillLevel } from '../teacher.types';
import { TeacherSort } from '../dto/search-teachers.args';

/** A search after validation and normalisation: what the pipeline is built from. */
export interface SearchCriteria {
  /** Facet keys that must all be present (see TeacherProfileDocument.facetKeys). */
  facetKeys: string[];
  /** Folded query words; each must be a prefix of a word of the profile. */
  tokens: string[];
  price?: { durationMinutes: number; currency: string; minMinor?: number; maxMinor?: number };
  near?: { latitude: number; longitude: number; radiusKm: number };
  minRating?: number;
  sort: TeacherSort;
}

export function facetKeysFor(filter: {
  instrumentKey?: string;
  level?: SkillLevel;
  genreKey?: string;
  language?: string;
  format?: LessonFormat;
}): string[] {
  const keys: string[] = [];
  if (filter.instrumentKey && filter.level) keys.push(`il:${filter.instrumentKey}:${filter.level}`);
  else if (filter.instrumentKey) keys.push(`i:${filter.instrumentKey}`);
  else if (filter.level) keys.push(`l:${filter.level}`);
  if (filter.genreKey) keys.push(`g:${filter.genreKey}`);
  if (filter.language) keys.push(`lang:${filter.language}`);
  if (filter.format) keys.push(`f:${filter.format}`);
  return keys;
}

/** Identifies the criteria a cursor was issued for, so a cursor is refused under other criteria. */
export function criteriaFingerprint(criteria: SearchCriteria): string {
  return createHash('sha256').update(JSON.stringify(criteria)).digest('base64url').slice(0, 16);
}
