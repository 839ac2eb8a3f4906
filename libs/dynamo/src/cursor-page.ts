import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterIsNotACursor, decodeAfter, encodeCursor, type Page } from '@app/common';
import { InvalidStartKeyError, queryPage, type QueryPageParams } from './query';

export interface CursorPageOptions<T> {
  /** The client's `after` argument: a cursor this function issued for the same query. */
  after?: string | null;
  /** Stored item to domain object. */
  map: (item: Record<string, unknown>) => T;
  /** The item's key attributes in this query (table keys plus the index keys), for its cursor. */
  keyOf: (item: T) => Record<string, unknown>;
}

/**
 * A page of a Query as a {@link Page}: the cursors wrap DynamoDB keys opaquely, and a cursor from
 * another list (another partition or index) is BAD_USER_INPUT on `after`, never a store error.
 */
export async function queryCursorPage<T>(
  client: DynamoDBDocumentClient,
  params: Omit<QueryPageParams, 'exclusiveStartKey'>,
  opts: CursorPageOptions<T>,
): Promise<Page<T>> {
  const start = decodeAfter<{ k: Record<string, unknown> }>(
    opts.after,
    (p) => p.k !== null && typeof p.k === 'object' && !Array.isArray(p.k),
  )?.k;
  let result;
  try {
    result = await queryPage<Record<string, unknown>>(client, { ...params, exclusiveStartKey: start });
  } catch (err) {
    if (err instanceof InvalidStartKeyError) throw afterIsNotACursor();
    throw err;
  }
  const cursorOf = (item: T) => encodeCursor({ k: opts.keyOf(item) });
  return {
    items: result.items.map(opts.map),
    nextCursor: result.lastEvaluatedKey ? encodeCursor({ k: result.lastEvaluatedKey }) : null,
    cursorOf,
  };
}
