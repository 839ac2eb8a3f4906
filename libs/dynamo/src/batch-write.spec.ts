import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, type WriteRequest } from './batch-write';
import { ensureTable } from './table';
import { callCounter, dropTable, testClient, uniqueTableName } from './spec-support';

describe('batchWriteAll', () => {
  const calls = callCounter();
  const client = testClient(calls.onCall);
  const tableName = uniqueTableName('batchwrite');
  const puts = (prefix: string, n: number): WriteRequest[] =>
    Array.from({ length: n }, (_, i) => ({
      PutRequest: { Item: { PK: prefix, SK: `ITEM#${String(i).padStart(3, '0')}`, i } },
    }));
  const stored = async (pk: string) =>
    (
      await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  /** Hands `howMany(call)` of each BatchWriteItem's requests back as UnprocessedItems. */
  function injectUnprocessed(howMany: (call: number) => number) {
    let call = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName !== 'BatchWriteItemCommand') return result;
        const requests = (args.input as { RequestItems: Record<string, unknown[]> }).RequestItems[tableName];
        const n = Math.min(howMany(call++), requests.length);
        if (n > 0)
          (result.output as { UnprocessedItems?: Record<string, unknown[]> }).UnprocessedItems = {
            [tableName]: requests.slice(0, n),
          };
        return result;
      },
      { step: 'initialize', name: 'injectUnprocessedItems', priority: 'low' },
    );
    return () => client.middlewareStack.remove('injectUnprocessedItems');
  }

  beforeAll(() => ensureTable(client, tableName));
  afterAll(() => dropTable(client, tableName));

  it('writes 60 requests in 3 calls of at most 25, puts and deletes alike', async () => {
    calls.reset();
    await batchWriteAll(client, tableName, puts('A', 60));
    expect(calls.count('BatchWriteItem')).toBe(3);
    expect(await stored('A')).toHaveLength(60);
    await batchWriteAll(
      client,
      tableName,
      puts('A', 60)
        .slice(0, 30)
        .map((r) => ({ DeleteRequest: { Key: { PK: 'A', SK: (r as any).PutRequest.Item.SK } } })),
    );
    expect(await stored('A')).toHaveLength(30);
  });

  it('retries unprocessed items until they clear', async () => {
    const remove = injectUnprocessed((call) => (call === 0 ? 7 : 0));
    try {
      calls.reset();
      await batchWriteAll(client, tableName, puts('B', 20), { baseDelayMs: 1 });
      expect(calls.count('BatchWriteItem')).toBe(2);
      expect(await stored('B')).toHaveLength(20);
    } finally {
      remove();
    }
  });

  it('gives up naming the table when items never clear', async () => {
    const remove = injectUnprocessed(() => 3);
    try {
      await expect(batchWriteAll(client, tableName, puts('C', 5), { maxRetries: 2, baseDelayMs: 1 })).rejects.toThrow(
        `BatchWriteItem on table "${tableName}": 3 write(s) still unprocessed after 2 retries`,
      );
    } finally {
      remove();
    }
  });
});
