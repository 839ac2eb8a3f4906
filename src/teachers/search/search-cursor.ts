import { decodeCursor, encodeCursor, InvalidCursorError, ValidationFailedError } from '@app/common';
import type { SortField } from './search-pipeline';

interface SearchCursorPayload {
  /** Fingerprint of the criteria the cursor belongs to. */
  f: string;
  /** Sort values of the last item of the page, `_id` last. */
  k: unknown[];
}

/** An opaque cursor at one result: its sort values, bound to the criteria of the search. */
export function encodeSearchCursor(fingerprint: string, values: unknown[]): string {
  return encodeCursor({ f: fingerprint, k: values } satisfies SearchCursorPayload);
}

const refused = () =>
  ValidationFailedError.field('after', 'after is not a cursor of this search (same filter and sort)');

/** The sort values in `after`; BAD_USER_INPUT on field `after` when it is not from this search. */
export function decodeSearchCursor(cursor: string, fingerprint: string, sort: SortField[]): unknown[] {
  let payload: SearchCursorPayload;
  try {
    payload = decodeCursor<SearchCursorPayload>(cursor);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw refused();
    throw err;
  }
  const { f, k } = payload;
  if (f !== fingerprint || !Array.isArray(k) || k.length !== sort.length) throw refused();
  const wellTyped = k.every((v, i) =>
    sort[i].field === '_id' ? typeof v === 'string' : typeof v === 'number' && Number.isFinite(v),
  );
  if (!wellTyped) throw refused();
  return k;
}
