/**
 * moto keeps its memory bounded under TransactWriteItems (issue 8, item 4). moto copies every
 * table a transaction touches; its instance tracker used to keep each copy alive, so moto grew by
 * the table's size on every transaction. tools/moto/serialized_server.py switches the tracker off
 * (docs/decisions/0006-moto-instance-tracker-off.md). Here: a moto of its own (so no other test's
 * traffic moves its memory), a table of 300 items, 168 transactions. Measured on this machine:
 * with the fix moto grew by 0.1 MiB; without it by 208 MiB (1.3 MiB per transaction). The 32 MiB
 * bound sits far from both. The 10,000-transaction soak is bench/moto-memory.bench.ts.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, createDocumentClient, ensureTable, isTransactionCanceled } from '@app/dynamo';
import { rssBytes } from '../scripts/lib/processes';
import { startMoto, stopService, type StartedService } from '../scripts/lib/services';

const ITEMS = 300;
const WARM_UP = 8;
const TRANSACTIONS = 160;
const CANCEL_EVERY = 4;
const MAX_GROWTH = 32 * 1024 ** 2;
const TABLE = 'moto-memory';

describe('moto memory under TransactWriteItems', () => {
  let moto: StartedService;
  let client: DynamoDBDocumentClient;

  beforeAll(async () => {
    moto = await startMoto({ port: 0 });
    client = createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: moto.url });
    await ensureTable(client, TABLE);
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      PutRequest: {
        Item: {
          PK: `USER#u${i}`,
          SK: 'USER',
          GSI1PK: 'USERS',
          GSI1SK: `u${i}`,
          email: `u${i}@example.test`,
          displayName: `User ${i}`,
          roles: ['STUDENT'],
          history: [{ at: '2030-01-01T00:00:00.000Z', to: 'ACTIVE' }],
          bio: 'b'.repeat(300),
        },
      },
    }));
    await batchWriteAll(client, TABLE, items);
  });

  afterAll(async () => {
    await client?.send(new DeleteTableCommand({ TableName: TABLE })).catch(() => undefined);
    client?.destroy();
    await stopService(moto);
  });

  /** Writes the counter and one user in a transaction; every CANCEL_EVERY-th is cancelled by its condition. */
  async function transaction(i: number): Promise<'committed' | 'cancelled'> {
    const cancel = i % CANCEL_EVERY === CANCEL_EVERY - 1;
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: TABLE,
                Key: { PK: 'COUNTER', SK: 'COUNTER' },
                UpdateExpression: 'ADD committed :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            {
              Put: {
                TableName: TABLE,
                Item: { PK: `USER#u${i % ITEMS}`, SK: 'USER', displayName: `Renamed ${i}`, bio: 'b'.repeat(300) },
                ConditionExpression: cancel ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
              },
            },
          ],
        }),
      );
      return 'committed';
    } catch (err) {
      if (cancel && isTransactionCanceled(err)) return 'cancelled';
      throw err;
    }
  }

  it('does not keep a copy of the table per transaction', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < WARM_UP; i++) outcomes.push(await transaction(i));
    const before = rssBytes(moto.pid);
    expect(before).not.toBeNull();

    for (let i = WARM_UP; i < WARM_UP + TRANSACTIONS; i++) outcomes.push(await transaction(i));
    const growth = rssBytes(moto.pid)! - before!;

    // The fix must not cost atomicity: cancelled transactions left nothing behind.
    const committed = outcomes.filter((o) => o === 'committed').length;
    const counter = await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'COUNTER', SK: 'COUNTER' } }));
    expect(counter.Item?.committed).toBe(committed);
    expect(outcomes.filter((o) => o === 'cancelled')).toHaveLength((WARM_UP + TRANSACTIONS) / CANCEL_EVERY);

    expect(growth).toBeLessThan(MAX_GROWTH);
  });
});
