import type { PipelineStage } from 'mongoose';
import { TeacherSort } from '../dto/search-teachers.args';
import { boundingBox, chordSquaredForKm, unitVector } from './geo';
import type { SearchCriteria } from './search-criteria';

/** One key of the result order; the last is always `_id` ascending, so the order is total. */
export interface SortField {
  field: string;
  direction: 1 | -1;
}

const RATING_ORDER: SortField[] = [
  { field: 'ratingAverage', direction: -1 },
  { field: 'ratingCount', direction: -1 },
  { field: '_id', direction: 1 },
];

export function sortFieldsFor(criteria: SearchCriteria): SortField[] {
  switch (criteria.sort) {
    case TeacherSort.RELEVANCE:
      return criteria.tokens.length ? [{ field: '_score', direction: -1 }, ...RATING_ORDER] : RATING_ORDER;
    case TeacherSort.RATING:
      return RATING_ORDER;
    case TeacherSort.PRICE_ASC:
      return [
        { field: '_price', direction: 1 },
        { field: '_id', direction: 1 },
      ];
    case TeacherSort.PRICE_DESC:
      return [
        { field: '_price', direction: -1 },
        { field: '_id', direction: 1 },
      ];
    case TeacherSort.DISTANCE:
      return [
        { field: '_d2', direction: 1 },
        { field: '_id', direction: 1 },
      ];
  }
}

/**
 * The aggregation for one page: an indexable $match on stored fields (published, facet keys,
 * tokens, offering, rating, bounding box), the computed sort keys (text score, price of the chosen
 * offering, squared chord to `near`), the exact radius, the keyset condition after the cursor,
 * then sort and limit. Uses only operators that mongo-java-server evaluates as MongoDB does.
 */
export function searchPipeline(
  criteria: SearchCriteria,
  sort: SortField[],
  after: readonly unknown[] | null,
  limit: number,
): PipelineStage[] {
  const stages: PipelineStage[] = [{ $match: matchOf(criteria) }];

  const computed: Record<string, unknown> = {};
  if (criteria.tokens.length) {
    // Per query word: 1 for matching (every result does), +1 when it starts a word of the name,
    // an instrument or a genre, +1 when it is a whole word. ($in per word: mongo-java-server
    // evaluates it several times faster than $setIntersection.)
    const hit = (token: string, path: string) => ({ $cond: [{ $in: [{ $literal: token }, path] }, 1, 0] });
    computed._score = {
      $add: [
        criteria.tokens.length,
        ...criteria.tokens.flatMap((q) => [hit(q, '$search.keyTokens'), hit(q, '$search.words')]),
      ],
    };
  }
  if (criteria.price && sort.some((s) => s.field === '_price')) {
    const { durationMinutes, currency } = criteria.price;
    const chosen = {
      $filter: {
        input: '$offerings',
        as: 'o',
        cond: {
          $and: [{ $eq: ['$$o.durationMinutes', durationMinutes] }, { $eq: ['$$o.currency', { $literal: currency }] }],
        },
      },
    };
    computed._price = { $arrayElemAt: [{ $map: { input: chosen, as: 'o', in: '$$o.priceMinor' } }, 0] };
  }
  if (criteria.near) computed._d2 = chordSquaredTo(criteria.near);
  if (Object.keys(computed).length) stages.push({ $addFields: computed });
  if (criteria.near) stages.push({ $match: { _d2: { $lte: chordSquaredForKm(criteria.near.radiusKm) } } });
  if (after) stages.push({ $match: afterCondition(sort, after) });

  stages.push(
    { $sort: Object.fromEntries(sort.map((s) => [s.field, s.direction])) },
    { $limit: limit },
    { $project: { search: 0, facetKeys: 0 } },
  );
  return stages;
}

/** The count of every match (`totalCount`): the same match and exact radius as the pages, no sort. */
export function countPipeline(criteria: SearchCriteria): PipelineStage[] {
  const stages: PipelineStage[] = [{ $match: matchOf(criteria) }];
  if (criteria.near) {
    stages.push(
      { $addFields: { _d2: chordSquaredTo(criteria.near) } },
      { $match: { _d2: { $lte: chordSquaredForKm(criteria.near.radiusKm) } } },
    );
  }
  stages.push({ $count: 'n' });
  return stages;
}

/** The indexable condition on stored fields (published, facet keys, tokens, offering, rating, bounding box). */
function matchOf(criteria: SearchCriteria): Record<string, unknown> {
  const match: Record<string, unknown> = { published: true };
  if (criteria.facetKeys.length) match.facetKeys = { $all: criteria.facetKeys };
  if (criteria.tokens.length) match['search.tokens'] = { $all: criteria.tokens };
  if (criteria.minRating !== undefined) match.ratingAverage = { $gte: criteria.minRating };
  if (criteria.price) {
    const { durationMinutes, currency, minMinor, maxMinor } = criteria.price;
    const priceMinor: Record<string, number> = {};
    if (minMinor !== undefined) priceMinor.$gte = minMinor;
    if (maxMinor !== undefined) priceMinor.$lte = maxMinor;
    match.offerings = {
      $elemMatch: { durationMinutes, currency, ...(Object.keys(priceMinor).length ? { priceMinor } : {}) },
    };
  }
  if (criteria.near) {
    const box = boundingBox(criteria.near.latitude, criteria.near.longitude, criteria.near.radiusKm);
    match['geo.lat'] = { $gte: box.minLat, $lte: box.maxLat };
    if (box.lngRanges.length === 1) match['geo.lng'] = { $gte: box.lngRanges[0][0], $lte: box.lngRanges[0][1] };
    else if (box.lngRanges.length === 2)
      match.$or = box.lngRanges.map(([lo, hi]) => ({ 'geo.lng': { $gte: lo, $lte: hi } }));
    // No longitude range near a pole: the latitude range alone bounds the candidates.
  }
  return match;
}

/** Squared chord from a profile's unit vector to the point (monotonic in the distance). */
function chordSquaredTo(near: { latitude: number; longitude: number }): Record<string, unknown> {
  const c = unitVector(near.latitude, near.longitude);
  const sq = (axis: 'x' | 'y' | 'z') => {
    const d = { $subtract: [`$geo.${axis}`, c[axis]] };
    return { $multiply: [d, d] };
  };
  return { $add: [sq('x'), sq('y'), sq('z')] };
}

/** Keyset condition "strictly after these sort values": (k1 > v1) or (k1 = v1 and k2 > v2) or ... */
function afterCondition(sort: SortField[], values: readonly unknown[]): Record<string, unknown> {
  const branches = sort.map((s, i) => {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[sort[j].field] = values[j];
    branch[s.field] = { [s.direction === 1 ? '$gt' : '$lt']: values[i] };
    return branch;
  });
  return { $or: branches };
}

/** The sort values of a result document, in the order of `sort` (the payload of its cursor). */
export function sortValuesOf(doc: Record<string, unknown>, sort: SortField[]): unknown[] {
  return sort.map((s) => doc[s.field]);
}
