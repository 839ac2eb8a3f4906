/**
 * moto's TransactWriteItems through tools/moto/serialized_server.py, which saves only the items a
 * transaction names (not a copy of the whole table) and puts them back when it fails: a cancelled
 * or refused transaction leaves every item as it was (an updated one, a deleted one, a new one),
 * and a committed one applies every write.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createDocumentClient, ensureTable, isTransactionCanceled } from '@app/dynamo';

describe('moto transactions: only the named items are saved and restored', () => {
  const table = `moto-tx-${ulid().toLowerCase()}`;
  let client: DynamoDBDocumentClient;

  beforeAll(async () => {
    client = createDocumentClient({
      region: process.env.AWS_REGION ?? 'us-east-1',
      endpoint: process.env.DYNAMODB_ENDPOINT!,
    });
    await ensureTable(client, table);
  });
  afterAll(async () => {
    await client?.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    client?.destroy();
  });

  const put = (PK: string, extra: Record<string, unknown> = {}) =>
    client.send(new PutCommand({ TableName: table, Item: { PK, SK: 'X', n: 1, tags: ['a'], ...extra } }));
  const get = async (PK: string) =>
    (await client.send(new GetCommand({ TableName: table, Key: { PK, SK: 'X' }, ConsistentRead: true }))).Item;
  /** Updates A in place, deletes B, replaces C, creates D, and checks `guard` exists. */
  const writes = (guard: string) =>
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: { PK: 'A', SK: 'X' },
            UpdateExpression: 'ADD n :one SET tags = list_append(tags, :b)',
            ExpressionAttributeValues: { ':one': 1, ':b': ['b'] },
          },
        },
        { Delete: { TableName: table, Key: { PK: 'B', SK: 'X' } } },
        { Put: { TableName: table, Item: { PK: 'C', SK: 'X', n: 30 } } },
        {
          Put: { TableName: table, Item: { PK: 'D', SK: 'X', n: 40 }, ConditionExpression: 'attribute_not_exists(PK)' },
        },
        {
          ConditionCheck: {
            TableName: table,
            Key: { PK: guard, SK: 'X' },
            ConditionExpression: 'attribute_exists(PK)',
          },
        },
      ],
    });

  beforeEach(async () => {
    await Promise.all([put('A'), put('B'), put('C', { n: 3 }), put('GUARD')]);
  });

  it('a cancelled transaction leaves the updated, deleted, replaced and new items as they were', async () => {
    const err = await client.send(writes('MISSING')).catch((e: unknown) => e);
    expect(isTransactionCanceled(err)).toBe(true);
    expect(await get('A')).toEqual({ PK: 'A', SK: 'X', n: 1, tags: ['a'] });
    expect(await get('B')).toEqual({ PK: 'B', SK: 'X', n: 1, tags: ['a'] });
    expect(await get('C')).toEqual({ PK: 'C', SK: 'X', n: 3, tags: ['a'] });
    expect(await get('D')).toBeUndefined();
  });

  it('a transaction naming one item twice is refused and changes nothing', async () => {
    const twice = new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: { PK: 'A', SK: 'X' },
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
        { Put: { TableName: table, Item: { PK: 'E', SK: 'X' } } },
        { Delete: { TableName: table, Key: { PK: 'A', SK: 'X' } } },
      ],
    });
    await expect(client.send(twice)).rejects.toThrow();
    expect(await get('A')).toEqual({ PK: 'A', SK: 'X', n: 1, tags: ['a'] });
    expect(await get('E')).toBeUndefined();
  });

  it('a committed transaction applies every write, and the next one sees them', async () => {
    await client.send(writes('GUARD'));
    expect(await get('A')).toEqual({ PK: 'A', SK: 'X', n: 2, tags: ['a', 'b'] });
    expect(await get('B')).toBeUndefined();
    expect(await get('C')).toEqual({ PK: 'C', SK: 'X', n: 30 });
    expect(await get('D')).toEqual({ PK: 'D', SK: 'X', n: 40 });
    // D exists now: the same transaction is cancelled by its condition, and A keeps its update.
    await expect(client.send(writes('GUARD'))).rejects.toThrow();
    expect(await get('A')).toEqual({ PK: 'A', SK: 'X', n: 2, tags: ['a', 'b'] });
  });
});
