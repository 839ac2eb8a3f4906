import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE, type IndexName } from './table';

/** Exactly one condition. */
export interface SortKeyCondition {
  name: string;
  equals?: string;
  beginsWith?: string;
  between?: [string, string];
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
}

/** A FilterExpression with its own placeholders; names/values starting `#qk_`/`:qk_` are reserved. */
export interface QueryFilter {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

export interface QueryPageParams {
  tableName: string;
  indexName?: IndexName;
  partitionKey: { name: string; value: string };
  sortKey?: SortKeyCondition;
  /** Number of items wanted (after filtering). */
  limit: number;
  exclusiveStartKey?: Record<string, unknown>;
  /** Ascending by sort key unless false. */
  scanForward?: boolean;
  filter?: QueryFilter;
  /** Base table only; GSIs are always eventually consistent. */
  consistentRead?: boolean;
}

export interface QueryPageResult<T> {
  items: T[];
  /** Absent when the partition is exhausted. */
  lastEvaluatedKey?: Record<string, unknown>;
}

// With a filter, DynamoDB's Limit counts items read before filtering; reading at least this many
// per call keeps a selective filter from costing one round trip per item.
const FILTERED_READ_WINDOW = 100;

/**
 * Up to `limit` items of one partition, issuing as many Query calls as filters or the 1 MB page
 * cap require, with the key to continue right after the last returned item.
 */
export async function queryPage<T = Record<string, unknown>>(
  client: DynamoDBDocumentClient,
  params: QueryPageParams,
): Promise<QueryPageResult<T>> {
  const { limit } = params;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`queryPage: limit must be a positive integer, got ${limit}`);
  }
  const keyNames = keyAttributes(params.indexName);
  if (params.exclusiveStartKey) checkStartKey(params.exclusiveStartKey, keyNames, params.partitionKey);
  const expression = keyCondition(params);

  const items: T[] = [];
  let startKey = params.exclusiveStartKey;
  for (;;) {
    const remaining = limit - items.length;
    // One item more than needed tells us, without another call, whether anything follows.
    const readLimit = params.filter ? Math.max(remaining + 1, FILTERED_READ_WINDOW) : remaining + 1;
    const out = await client.send(
      new QueryCommand({
        TableName: params.tableName,
        IndexName: params.indexName,
        KeyConditionExpression: expression.condition,
        FilterExpression: params.filter?.expression,
        ExpressionAttributeNames: { ...params.filter?.names, ...expression.names },
        ExpressionAttributeValues: { ...params.filter?.values, ...expression.values },
        ExclusiveStartKey: startKey,
        ScanIndexForward: params.scanForward ?? true,
        ConsistentRead: params.consistentRead,
        Limit: readLimit,
      }),
    );
    const page = (out.Items ?? []) as T[];
    if (page.length > remaining) {
      items.push(...page.slice(0, remaining));
      return { items, lastEvaluatedKey: pickKey(items[items.length - 1], keyNames) };
    }
    items.push(...page);
    startKey = out.LastEvaluatedKey;
    if (!startKey) return { items };
    if (items.length === limit) return { items, lastEvaluatedKey: startKey };
  }
}

/** A start key that this query could not have produced (another partition, wrong attributes). */
export class InvalidStartKeyError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidStartKeyError';
  }
}

function invalidCursor(): Error {
  return new InvalidStartKeyError();
}

/** Every item of the query (all pages), for internal reads that are bounded by design. */
export async function queryAll<T = Record<string, unknown>>(
  client: DynamoDBDocumentClient,
  params: Omit<QueryPageParams, 'limit' | 'exclusiveStartKey'>,
  pageSize = 500,
): Promise<T[]> {
  const items: T[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const page = await queryPage<T>(client, { ...params, limit: pageSize, exclusiveStartKey: after });
    items.push(...page.items);
    after = page.lastEvaluatedKey;
  } while (after);
  return items;
}

/** A LastEvaluatedKey on an index holds the index keys and the table keys. */
function keyAttributes(indexName: IndexName | undefined): string[] {
  const names: string[] = [TABLE.partitionKey, TABLE.sortKey];
  if (indexName) names.push(TABLE.indexes[indexName].partitionKey, TABLE.indexes[indexName].sortKey);
  return names;
}

function pickKey(item: unknown, keyNames: string[]): Record<string, unknown> {
  const record = item as Record<string, unknown>;
  return Object.fromEntries(keyNames.map((name) => [name, record[name]]));
}

// A start key from another query would make DynamoDB fail with a ValidationException (or, on
// emulators, silently continue elsewhere); a client-supplied cursor must not get that far.
function checkStartKey(
  key: Record<string, unknown>,
  keyNames: string[],
  partitionKey: { name: string; value: string },
): void {
  const names = Object.keys(key);
  const exact = names.length === keyNames.length && keyNames.every((n) => typeof key[n] === 'string');
  if (!exact || key[partitionKey.name] !== partitionKey.value) throw invalidCursor();
}

function keyCondition(params: QueryPageParams): {
  condition: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const filter = params.filter;
  const reserved = [...Object.keys(filter?.names ?? {}), ...Object.keys(filter?.values ?? {})];
  if (reserved.some((p) => p.startsWith('#qk_') || p.startsWith(':qk_'))) {
    throw new Error('queryPage: filter placeholders must not start with #qk_ or :qk_');
  }
  const names: Record<string, string> = { '#qk_pk': params.partitionKey.name };
  const values: Record<string, unknown> = { ':qk_pk': params.partitionKey.value };
  let condition = '#qk_pk = :qk_pk';
  const sk = params.sortKey;
  if (sk) {
    const { name, ...ops } = sk;
    const given = Object.entries(ops).filter(([, v]) => v !== undefined);
    if (given.length !== 1) {
      const ops = given.map(([op]) => op).join(', ') || 'none';
      throw new Error(`queryPage: sortKey needs exactly one condition, got ${ops}`);
    }
    const [op, operand] = given[0];
    names['#qk_sk'] = name;
    if (op === 'between') {
      const [low, high] = operand as [string, string];
      values[':qk_sk'] = low;
      values[':qk_sk2'] = high;
      condition += ' AND #qk_sk BETWEEN :qk_sk AND :qk_sk2';
    } else {
      values[':qk_sk'] = operand;
      condition += ` AND ${sortKeyClause(op)}`;
    }
  }
  return { condition, names, values };
}

function sortKeyClause(op: string): string {
  switch (op) {
    case 'equals':
      return '#qk_sk = :qk_sk';
    case 'beginsWith':
      return 'begins_with(#qk_sk, :qk_sk)';
    case 'gt':
      return '#qk_sk > :qk_sk';
    case 'gte':
      return '#qk_sk >= :qk_sk';
    case 'lt':
      return '#qk_sk < :qk_sk';
    case 'lte':
      return '#qk_sk <= :qk_sk';
    default:
      throw new Error(`queryPage: unknown sort key condition "${op}"`);
  }
}
