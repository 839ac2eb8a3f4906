/**
 * BatchGet DataLoader versus one GetItem per key, against a real (moto) table: 1,000 items read
 * by key, the shape of a list field whose rows each resolve a related user. Median of 5 runs
 * after one warm-up run of each.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createBatchGetLoader, createDocumentClient, ensureTable, type ItemKey } from '@app/dynamo';
import { BenchRow, median, ms, perSecond, timeMs } from './lib';

const ITEMS = 1_000;
const RUNS = 5;

export default async function dataloaderBench(): Promise<BenchRow[]> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set (run through `npm run bench`)');
  let calls = 0;
  const client = createDocumentClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint,
    onCall: () => calls++,
  });
  const table = `bench-${ulid().toLowerCase()}`;
  try {
    await ensureTable(client, table);
    const keys: ItemKey[] = Array.from({ length: ITEMS }, (_, i) => ({
      PK: `USER#bench-${String(i).padStart(4, '0')}`,
      SK: 'USER',
    }));
    await putAll(client, table, keys);

    const viaLoader = async () => {
      // A fresh loader per run, as per request in the server (no cache carried over).
      const loader = createBatchGetLoader({ client, tableName: table });
      const items = await loader.loadMany(keys);
      assertAllFound(items);
    };
    // What a resolver without a loader does: every row asks for its item at once.
    const viaGetItem = async () => {
      const items = await Promise.all(
        keys.map(async (Key) => (await client.send(new GetCommand({ TableName: table, Key }))).Item ?? null),
      );
      assertAllFound(items);
    };

    const rows: BenchRow[] = [];
    for (const [name, fn] of [
      [`createBatchGetLoader, ${ITEMS} keys`, viaLoader],
      [`${ITEMS} x GetItem (concurrent)`, viaGetItem],
    ] as const) {
      await fn(); // warm-up: connections, JIT
      const times: number[] = [];
      const callCounts: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const before = calls;
        times.push(await timeMs(fn));
        callCounts.push(calls - before);
      }
      const wall = median(times);
      rows.push({
        case: name,
        'wall (median of 5)': ms(wall),
        'DynamoDB calls': median(callCounts),
        'items/s': perSecond(ITEMS, wall),
      });
    }
    return rows;
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    client.destroy();
  }
}

async function putAll(client: DynamoDBDocumentClient, table: string, keys: ItemKey[]): Promise<void> {
  const now = new Date().toISOString();
  const items = keys.map((key, i) => ({
    ...key,
    id: key.PK.slice('USER#'.length),
    email: `bench-${i}@example.test`,
    displayName: `Bench User ${i}`,
    roles: ['STUDENT'],
    timeZone: 'Europe/Berlin',
    status: 'ACTIVE',
    tokenVersion: 0,
    createdAt: now,
    updatedAt: now,
  }));
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, unknown>[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 5) throw new Error('BatchWriteItem kept returning UnprocessedItems');
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = out.UnprocessedItems?.[table] ?? [];
    }
  }
}

function assertAllFound(items: ReadonlyArray<unknown>): void {
  const missing = items.filter((item) => item === null || item instanceof Error).length;
  if (items.length !== ITEMS || missing > 0) throw new Error(`expected ${ITEMS} items, ${missing} missing or failed`);
}
