import type { BatchGetCommandOutput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createBatchGetLoader, type ItemKey } from './batch-get-loader';
import { ensureTable } from './table';
import { callCounter, dropTable, putAll, testClient, uniqueTableName } from './spec-support';

type Item = ItemKey & { n: number };

const key = (n: number): ItemKey => ({ PK: `USER#${String(n).padStart(4, '0')}`, SK: 'USER' });

/**
 * Makes BatchGetItem responses look throttled: after the real response is deserialized, moves
 * up to `howMany(callIndex)` returned items back into UnprocessedKeys.
 */
function injectUnprocessed(client: DynamoDBDocumentClient, tableName: string, howMany: (call: number) => number) {
  let call = 0;
  let moved = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== 'BatchGetItemCommand') return result;
      const output = result.output as BatchGetCommandOutput;
      const returned = (output.Responses?.[tableName] ?? []) as Item[];
      const n = Math.min(howMany(call++), returned.length);
      if (n > 0) {
        const back = returned.splice(0, n);
        const already = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as ItemKey[];
        output.UnprocessedKeys = {
          ...output.UnprocessedKeys,
          [tableName]: { Keys: [...already, ...back.map(({ PK, SK }) => ({ PK, SK }))] },
        };
        moved += n;
      }
      return result;
    },
    { step: 'finalizeRequest', priority: 'low', name: 'injectUnprocessedKeys' },
  );
  return { moved: () => moved, remove: () => client.middlewareStack.remove('injectUnprocessedKeys') };
}

describe('createBatchGetLoader', () => {
  const calls = callCounter();
  const client = testClient(calls.onCall);
  const tableName = uniqueTableName('batchget');
  const stored = (n: number) => n % 5 !== 0; // every fifth key has no item

  beforeAll(async () => {
    await ensureTable(client, tableName);
    const items: Item[] = [];
    for (let n = 0; n < 250; n++) if (stored(n)) items.push({ ...key(n), n });
    await putAll(client, tableName, items);
  });
  afterAll(async () => {
    await dropTable(client, tableName);
    client.destroy();
  });
  beforeEach(() => calls.reset());

  it('loads 250 distinct keys (plus duplicates) in one tick with 3 BatchGetItem calls of 100, 100 and 50', async () => {
    const sizes: number[] = [];
    const loader = createBatchGetLoader<Item>({ client, tableName, onBatch: (s) => sizes.push(s) });
    // Reverse order so results cannot match the table's order by accident; duplicates interleaved.
    const order = Array.from({ length: 250 }, (_, i) => 249 - i);
    const duplicates = [3, 3, 17, 120, 249, 0];
    const requested = [...order.slice(0, 100), ...duplicates, ...order.slice(100)];

    const results = await Promise.all(requested.map((n) => loader.load(key(n))));

    expect(calls.count('BatchGetItem')).toBe(3);
    expect(sizes).toEqual([100, 100, 50]);
    results.forEach((item, i) => {
      const n = requested[i];
      if (stored(n)) expect(item).toEqual({ ...key(n), n });
      else expect(item).toBeNull();
    });
  });

  it('retries unprocessed keys until every item arrives', async () => {
    const sizes: number[] = [];
    const client2 = testClient(calls.onCall);
    const injected = injectUnprocessed(client2, tableName, (call) => (call === 0 ? 30 : 0));
    try {
      const loader = createBatchGetLoader<Item>({
        client: client2,
        tableName,
        onBatch: (s) => sizes.push(s),
        baseDelayMs: 1,
      });
      const wanted = Array.from({ length: 60 }, (_, i) => i + 1);
      const results = await loader.loadMany(wanted.map(key));

      expect(injected.moved()).toBe(30);
      expect(calls.count('BatchGetItem')).toBe(2);
      expect(sizes).toEqual([60]);
      expect(results).toEqual(wanted.map((n) => (stored(n) ? { ...key(n), n } : null)));
    } finally {
      client2.destroy();
    }
  });

  it('rejects keys that stay unprocessed after maxRetries, naming the table, and lets them be loaded again', async () => {
    const client3 = testClient(calls.onCall);
    const injected = injectUnprocessed(client3, tableName, () => Number.MAX_SAFE_INTEGER);
    try {
      const loader = createBatchGetLoader<Item>({ client: client3, tableName, maxRetries: 3, baseDelayMs: 1 });
      const existing = [1, 2, 3, 4, 6, 7, 8, 9, 11, 12];
      const settled = await Promise.allSettled([...existing, 10].map((n) => loader.load(key(n))));

      expect(calls.count('BatchGetItem')).toBe(4); // first call + 3 retries
      const message = `BatchGetItem on table "${tableName}": 10 key(s) still unprocessed after 3 retries`;
      for (const outcome of settled.slice(0, -1)) {
        expect(outcome).toEqual({ status: 'rejected', reason: expect.objectContaining({ message }) });
      }
      expect(settled[settled.length - 1]).toEqual({ status: 'fulfilled', value: null }); // missing, not unprocessed

      injected.remove();
      await expect(loader.load(key(1))).resolves.toEqual({ ...key(1), n: 1 });
    } finally {
      client3.destroy();
    }
  });

  it('reads consistently when asked and only sends PK/SK of the given keys', async () => {
    const loader = createBatchGetLoader<Item>({ client, tableName, consistentRead: true });
    const withExtras = { ...key(7), n: 999, other: 'ignored' } as ItemKey;
    await expect(loader.load(withExtras)).resolves.toEqual({ ...key(7), n: 7 });
  });
});
