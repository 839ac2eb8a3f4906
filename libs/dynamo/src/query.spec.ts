import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidStartKeyError, queryAll, queryPage, type QueryPageParams } from './query';
import { ensureTable } from './table';
import { callCounter, dropTable, putAll, testClient, uniqueTableName } from './spec-support';

type Booking = { PK: string; SK: string; GSI1PK: string; GSI1SK: string; n: number; paid: boolean };

const pad = (n: number) => String(n).padStart(3, '0');

/** Follows cursors to the end, as a connection resolver would, and returns each page's items. */
async function allPages<T>(client: Parameters<typeof queryPage>[0], params: QueryPageParams): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: Record<string, unknown> | undefined;
  for (let guard = 0; guard < 100; guard++) {
    // Through JSON, as a client-held cursor would travel.
    const page = await queryPage<T>(client, {
      ...params,
      exclusiveStartKey: cursor ? JSON.parse(JSON.stringify(cursor)) : undefined,
    });
    pages.push(page.items);
    if (!page.lastEvaluatedKey) return pages;
    cursor = page.lastEvaluatedKey;
  }
  throw new Error('pagination did not end');
}

describe('queryPage', () => {
  const calls = callCounter();
  const client = testClient(calls.onCall);
  const tableName = uniqueTableName('query');
  const teacher = 'TEACHER#t1';
  const bookings: Booking[] = Array.from({ length: 23 }, (_, i) => ({
    PK: `BOOKING#${pad(i)}`,
    SK: 'BOOKING',
    GSI1PK: teacher,
    // Inserted in one order, sorted by start time in another.
    GSI1SK: `2030-01-${pad(((i * 7) % 23) + 1)}#${pad(i)}`,
    n: i,
    paid: i % 3 === 0,
  }));
  const byStart = [...bookings].sort((a, b) => a.GSI1SK.localeCompare(b.GSI1SK));

  beforeAll(async () => {
    await ensureTable(client, tableName);
    const availability = Array.from({ length: 17 }, (_, i) => ({ PK: teacher, SK: `AVAIL#${pad(i)}`, n: i }));
    const other = [
      { PK: teacher, SK: 'OVERRIDE#2030-01-01' },
      { PK: teacher, SK: 'AVAIK#zzz' },
      { PK: teacher, SK: 'LOCK#1' },
      { PK: 'TEACHER#t2', SK: 'AVAIL#000' },
      { PK: 'BOOKING#x', SK: 'BOOKING', GSI1PK: 'TEACHER#t2', GSI1SK: '2030-01-01#x' },
    ];
    await putAll(client, tableName, [...bookings, ...availability, ...other]);
  });
  afterAll(async () => {
    await dropTable(client, tableName);
    client.destroy();
  });
  beforeEach(() => calls.reset());

  it('pages through GSI1 in sort order, every item exactly once, with no empty trailing page', async () => {
    const pages = await allPages<Booking>(client, {
      tableName,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: teacher },
      limit: 5,
    });
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat().map((b) => b.n)).toEqual(byStart.map((b) => b.n));
  });

  it('pages backwards with a between condition', async () => {
    const inRange = byStart.filter((b) => b.GSI1SK >= '2030-01-005' && b.GSI1SK <= '2030-01-015~');
    const pages = await allPages<Booking>(client, {
      tableName,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: teacher },
      sortKey: { name: 'GSI1SK', between: ['2030-01-005', '2030-01-015~'] },
      scanForward: false,
      limit: 4,
    });
    expect(pages.flat().map((b) => b.n)).toEqual(inRange.reverse().map((b) => b.n));
  });

  it('knows a page that ends the partition is the last one, without an extra call', async () => {
    const page = await queryPage(client, {
      tableName,
      partitionKey: { name: 'PK', value: teacher },
      sortKey: { name: 'SK', beginsWith: 'AVAIL#' },
      limit: 17,
    });
    expect(page.items).toHaveLength(17);
    expect(page.lastEvaluatedKey).toBeUndefined();
    expect(calls.count('Query')).toBe(1);
  });

  it('pages through the base table with a beginsWith sort condition', async () => {
    const pages = await allPages<{ SK: string }>(client, {
      tableName,
      partitionKey: { name: 'PK', value: teacher },
      sortKey: { name: 'SK', beginsWith: 'AVAIL#' },
      limit: 6,
    });
    expect(pages.map((p) => p.length)).toEqual([6, 6, 5]);
    expect(pages.flat().map((i) => i.SK)).toEqual(Array.from({ length: 17 }, (_, i) => `AVAIL#${pad(i)}`));
  });

  it('fills pages despite a filter and resumes right after the last returned item (index keys included)', async () => {
    const paid = byStart.filter((b) => b.paid);
    const params: QueryPageParams = {
      tableName,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: teacher },
      filter: { expression: '#paid = :yes', names: { '#paid': 'paid' }, values: { ':yes': true } },
      limit: 3,
    };
    const first = await queryPage<Booking>(client, params);
    expect(first.items.map((b) => b.n)).toEqual(paid.slice(0, 3).map((b) => b.n));
    expect(calls.count('Query')).toBe(1); // a sparse filter does not cost a round trip per item
    const last = first.items[2];
    expect(first.lastEvaluatedKey).toEqual({ PK: last.PK, SK: last.SK, GSI1PK: last.GSI1PK, GSI1SK: last.GSI1SK });

    const pages = await allPages<Booking>(client, params);
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    expect(pages.flat().map((b) => b.n)).toEqual(paid.map((b) => b.n));
  });

  it('keeps querying when DynamoDB returns short pages', async () => {
    // Raw pages of 2 items stand in for the 1 MB page cap.
    const shortPages = testClient(calls.onCall);
    shortPages.middlewareStack.add(
      (next) => async (args) => {
        const input = (args as { input: { Limit?: number } }).input;
        if (input.Limit) input.Limit = Math.min(input.Limit, 2);
        return next(args);
      },
      { step: 'initialize', name: 'capLimit' },
    );
    try {
      const page = await queryPage<Booking>(shortPages, {
        tableName,
        indexName: 'GSI1',
        partitionKey: { name: 'GSI1PK', value: teacher },
        limit: 7,
      });
      expect(page.items.map((b) => b.n)).toEqual(byStart.slice(0, 7).map((b) => b.n));
      expect(calls.count('Query')).toBe(4);
      const rest = await queryPage<Booking>(client, {
        tableName,
        indexName: 'GSI1',
        partitionKey: { name: 'GSI1PK', value: teacher },
        limit: 100,
        exclusiveStartKey: page.lastEvaluatedKey,
      });
      expect(rest.items.map((b) => b.n)).toEqual(byStart.slice(7).map((b) => b.n));
      expect(rest.lastEvaluatedKey).toBeUndefined();
    } finally {
      shortPages.destroy();
    }
  });

  it('rejects a cursor from another partition or of another shape before asking DynamoDB', async () => {
    const params: QueryPageParams = { tableName, partitionKey: { name: 'PK', value: teacher }, limit: 5 };
    const foreign = { PK: 'TEACHER#t2', SK: 'AVAIL#000' };
    await expect(queryPage(client, { ...params, exclusiveStartKey: foreign })).rejects.toBeInstanceOf(
      InvalidStartKeyError,
    );
    await expect(queryPage(client, { ...params, exclusiveStartKey: { PK: teacher } })).rejects.toThrow(
      'invalid cursor',
    );
    await expect(
      queryPage(client, {
        ...params,
        indexName: 'GSI1',
        partitionKey: { name: 'GSI1PK', value: teacher },
        exclusiveStartKey: { PK: 'BOOKING#000', SK: 'BOOKING' }, // lacks the index keys
      }),
    ).rejects.toThrow('invalid cursor');
    expect(calls.count('Query')).toBe(0);
  });

  it('queryAll reads every page of a partition, in order', async () => {
    const all = await queryAll<Booking>(
      client,
      { tableName, indexName: 'GSI1', partitionKey: { name: 'GSI1PK', value: teacher } },
      4,
    );
    const direct = await allPages<Booking>(client, {
      tableName,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: teacher },
      limit: 100,
    });
    expect(all.map((b) => b.n)).toEqual(direct.flat().map((b) => b.n));
    expect(all.length).toBeGreaterThan(4);
  });

  it('refuses ambiguous sort conditions and bad limits', async () => {
    const base: QueryPageParams = { tableName, partitionKey: { name: 'PK', value: teacher }, limit: 5 };
    await expect(queryPage(client, { ...base, sortKey: { name: 'SK', gte: 'A', lte: 'B' } })).rejects.toThrow(
      /exactly one/,
    );
    await expect(queryPage(client, { ...base, sortKey: { name: 'SK' } })).rejects.toThrow(/exactly one/);
    await expect(queryPage(client, { ...base, limit: 0 })).rejects.toThrow(/limit/);
    await expect(
      queryPage(client, {
        ...base,
        filter: { expression: '#qk_pk = :x', names: { '#qk_pk': 'n' }, values: { ':x': 1 } },
      }),
    ).rejects.toThrow(/placeholders/);
  });

  it('matches what a plain Query returns for the same page', async () => {
    const raw = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': teacher, ':p': 'AVAIL#' },
        Limit: 6,
      }),
    );
    const page = await queryPage(client, {
      tableName,
      partitionKey: { name: 'PK', value: teacher },
      sortKey: { name: 'SK', beginsWith: 'AVAIL#' },
      limit: 6,
    });
    expect(page.items).toEqual(raw.Items);
    expect(page.lastEvaluatedKey).toEqual(raw.LastEvaluatedKey);
  });
});
