import { Injectable } from '@nestjs/common';
import { buildConnection, Connection, pageSizeOf } from '@app/common';
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
    const connection = buildConnection(nodes, {
      hasNextPage: rows.length > first,
      hasPreviousPage: !!args.after,
      cursorOf: (node) => cursors.get(node.id)!,
    });
    return { ...connection, totalCount: () => this.profiles.count(criteria) };
  }
}

/** Normalised criteria of validated arguments (SearchTeachersArgs has checked them, rules included). */
export function criteriaOf(filter: TeacherSearchFilter, sort: TeacherSort): SearchCriteria {
  const tokens = filter.text ? queryTokens(filter.text) : [];
  const instrumentKey = filter.instrument ? tagKey(filter.instrument) : undefined;
  const genreKey = filter.genre ? tagKey(filter.genre) : undefined;
  const price = filter.price;
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
    if (price.minAmountMinor != null) criteria.price.minMinor = price.minAmountMinor;
    if (price.maxAmountMinor != null) criteria.price.maxMinor = price.maxAmountMinor;
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
