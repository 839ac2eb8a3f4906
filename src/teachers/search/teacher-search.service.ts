import { Injectable } from '@nestjs/common';
import { buildConnection, Connection, FieldProblem, pageSizeOf, ValidationFailedError } from '@app/common';
import type { RequestLoaders } from '../../graphql/request-loaders';
import type { Viewer } from '../../auth/viewer';
import { SearchTeachersArgs, TeacherSearchFilter, TeacherSort } from '../dto/search-teachers.args';
import { TeacherModel } from '../models/teacher.model';
import { presentTeacher } from '../teacher.presenter';
import { TeacherProfilesRepository } from '../teacher-profiles.repository';
import { kmFromChordSquared } from './geo';
import { criteriaFingerprint, facetKeysFor, SearchCriteria } from './search-criteria';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import { sortFieldsFor } from './search-pipeline';
import { queryTokens, tagKey } from './text-tokens';

/** Discovery: published profiles by filters and sort, in stable keyset pages (one MongoDB call a page). */
@Injectable()
export class TeacherSearchService {
  constructor(private readonly profiles: TeacherProfilesRepository) {}

  async search(
    loaders: RequestLoaders,
    args: SearchTeachersArgs,
    viewer: Viewer | null | undefined,
  ): Promise<Connection<TeacherModel>> {
    const criteria = criteriaOf(args.filter ?? {}, args.sort ?? TeacherSort.RELEVANCE);
    const sort = sortFieldsFor(criteria);
    const fingerprint = criteriaFingerprint(criteria);
    const after = args.after ? decodeSearchCursor(args.after, fingerprint, sort) : null;
    const first = pageSizeOf(args);

    const rows = await this.profiles.search(criteria, sort, after, first + 1);
    const page = rows.slice(0, first);
    for (const row of page) loaders.teacherProfiles.prime(row.profile.id, row.profile);
    const cursors = new Map(page.map((row) => [row.profile.id, encodeSearchCursor(fingerprint, row.sortValues)]));
    const nodes = page.map((row) =>
      presentTeacher(
        row.profile,
        viewer,
        row.chordSquared === undefined ? null : Math.round(kmFromChordSquared(row.chordSquared) * 10) / 10,
      ),
    );
    return buildConnection(nodes, {
      hasNextPage: rows.length > first,
      hasPreviousPage: !!args.after,
      cursorOf: (node) => cursors.get(node.id)!,
    });
  }
}

/** Validated, normalised criteria; BAD_USER_INPUT naming each problem. */
export function criteriaOf(filter: TeacherSearchFilter, sort: TeacherSort): SearchCriteria {
  const problems: FieldProblem[] = [];
  const tokens = filter.text !== undefined && filter.text !== null ? queryTokens(filter.text) : [];
  if (filter.text && tokens.length === 0)
    problems.push({ field: 'filter.text', message: 'text must contain a word of at least 2 letters or digits' });
  const instrumentKey = filter.instrument ? tagKey(filter.instrument) : undefined;
  if (filter.instrument && !instrumentKey)
    problems.push({ field: 'filter.instrument', message: 'instrument must contain letters or digits' });
  const genreKey = filter.genre ? tagKey(filter.genre) : undefined;
  if (filter.genre && !genreKey)
    problems.push({ field: 'filter.genre', message: 'genre must contain letters or digits' });
  const price = filter.price;
  if (price?.minMinor != null && price.maxMinor != null && price.minMinor > price.maxMinor) {
    problems.push({ field: 'filter.price.maxMinor', message: 'maxMinor must not be below minMinor' });
  }
  if ((sort === TeacherSort.PRICE_ASC || sort === TeacherSort.PRICE_DESC) && !price) {
    problems.push({
      field: 'sort',
      message: `${sort} needs filter.price (the lesson duration and currency to compare)`,
    });
  }
  if (sort === TeacherSort.DISTANCE && !filter.near)
    problems.push({ field: 'sort', message: 'DISTANCE needs filter.near' });
  if (problems.length) throw new ValidationFailedError(problems);

  const criteria: SearchCriteria = {
    facetKeys: facetKeysFor({
      instrumentKey,
      level: filter.level ?? undefined,
      genreKey,
      language: filter.language ?? undefined,
      format: filter.format ?? undefined,
    }),
    tokens,
    sort,
  };
  if (price) {
    criteria.price = { durationMinutes: price.durationMinutes, currency: price.currency };
    if (price.minMinor != null) criteria.price.minMinor = price.minMinor;
    if (price.maxMinor != null) criteria.price.maxMinor = price.maxMinor;
  }
  if (filter.near)
    criteria.near = {
      latitude: filter.near.latitude,
      longitude: filter.near.longitude,
      radiusKm: filter.near.radiusKm,
    };
  if (filter.minRating != null) criteria.minRating = filter.minRating;
  return criteria;
}
