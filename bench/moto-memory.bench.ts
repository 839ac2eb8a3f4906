/**
 * moto's memory through a soak of 10,000 TransactWriteItems (issue 8, item 4): a moto of its own
 * (the launcher `npm start` and the tests use), a table of the real definition seeded with a few
 * hundred items, then booking-shaped transactions (a condition check on the student, the lesson,
 * two slot locks; one in ten cancelled by its condition), 4 in flight. Prints moto's resident
 * memory (VmRSS) before, after every 1,000 transactions and at the end, and fails as soon as it
 * passes 1 GiB, so a regression cannot exhaust the machine. Before the fix in
 * tools/moto/serialized_server.py every transaction kept a copy of the table alive (see
 * docs/decisions/0006-moto-instance-tracker-off.md).
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, createDocumentClient, ensureTable, isTransactionCanceled } from '@app/dynamo';
import { rssBytes } from '../scripts/lib/processes';
import { startMoto, stopService } from '../scripts/lib/services';
import { BenchRow, runPool } from './lib';

const SEED_USERS = 100;
const TRANSACTIONS = 10_000;
const REPORT_EVERY = 1_000;
const CONCURRENCY = 4;
const CANCEL_EVERY = 10;
/** Distinct lessons and locks the transactions overwrite in turn: the table stays the same size. */
const LESSON_KEYS = 50;
const LOCK_KEYS = 100;
const RSS_LIMIT = 1024 ** 3;
const TABLE_NAME = 'moto-memory-soak';

export const timeoutMs = 30 * 60_000;

export default async function motoMemoryBench(): Promise<BenchRow[]> {
  const moto = await startMoto({ port: 0 });
  const client = createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: moto.url });
  const rss = () => {
    const bytes = rssBytes(moto.pid);
    if (bytes === null) throw new Error(`cannot read the memory of moto (pid ${moto.pid}); Linux /proc is needed`);
    return bytes;
  };
  try {
    const startRss = rss();
    await ensureTable(client, TABLE_NAME);
    await seed(client);
    const seededRss = rss();
    const rows: BenchRow[] = [
      { case: 'moto started, empty', 'moto RSS': mib(startRss) },
      {
        case: `table seeded (${SEED_USERS} users, ${LESSON_KEYS} lessons, ${LOCK_KEYS} locks)`,
        'moto RSS': mib(seededRss),
      },
    ];
    let peak = seededRss;
    let cancelled = 0;
    let done = 0;
    let sliceStart = process.hrtime.bigint();
    await runPool(TRANSACTIONS, CONCURRENCY, async (i) => {
      if (await bookingTransaction(client, i)) cancelled++;
      done++;
      const now = rss();
      peak = Math.max(peak, now);
      if (now > RSS_LIMIT) {
        throw new Error(
          `moto's RSS passed 1 GiB (${mib(now)}) after ${done} transactions; it was ${mib(seededRss)} when seeded`,
        );
      }
      if (done % REPORT_EVERY === 0) {
        const sliceMs = Number(process.hrtime.bigint() - sliceStart) / 1e6;
        sliceStart = process.hrtime.bigint();
        const row = {
          case: `after ${done.toLocaleString('en-US')} transactions`,
          'moto RSS': mib(now),
          'growth since seeded': mib(now - seededRss),
          'ms/transaction': (sliceMs / REPORT_EVERY).toFixed(1),
          cancelled,
        };
        rows.push(row);
        process.stderr.write(`[bench] moto-memory: ${row.case}: RSS ${row['moto RSS']}\n`);
      }
    });
    const endRss = rss();
    rows.push({
      case: 'end',
      'moto RSS': mib(endRss),
      'growth since seeded': mib(endRss - seededRss),
      peak: mib(peak),
    });
    return rows;
  } finally {
    await client.send(new DeleteTableCommand({ TableName: TABLE_NAME })).catch(() => undefined);
    client.destroy();
    await stopService(moto);
  }
}

async function seed(client: DynamoDBDocumentClient): Promise<void> {
  const users = Array.from({ length: SEED_USERS }, (_, i) => ({
    PutRequest: {
      Item: {
        PK: `USER#u${i}`,
        SK: 'USER',
        email: `soak-${i}@example.test`,
        displayName: `Soak User ${i}`,
        roles: ['STUDENT'],
        timeZone: 'Europe/Berlin',
        status: 'ACTIVE',
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$' + 'x'.repeat(70),
      },
    },
  }));
  await batchWriteAll(client, TABLE_NAME, users);
  for (let i = 0; i < Math.max(LESSON_KEYS, LOCK_KEYS / 2); i++) await bookingTransaction(client, i, false);
}

/** One booking as the app writes it; true when it was cancelled (every CANCEL_EVERY-th, by its condition). */
async function bookingTransaction(client: DynamoDBDocumentClient, i: number, mayCancel = true): Promise<boolean> {
  const cancel = mayCancel && i % CANCEL_EVERY === CANCEL_EVERY - 1;
  const student = `u${i % SEED_USERS}`;
  const teacher = `u${(i * 7 + 1) % SEED_USERS}`;
  const lesson = `l${i % LESSON_KEYS}`;
  const start = new Date(Date.UTC(2030, 0, 1) + (i % LOCK_KEYS) * 15 * 60_000).toISOString();
  const lock = (n: number) => ({
    Put: {
      TableName: TABLE_NAME,
      Item: { PK: `TEACHER#${teacher}`, SK: `LOCK#${(2 * i + n) % LOCK_KEYS}`, lessonId: lesson },
    },
  });
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: TABLE_NAME,
              Key: { PK: `USER#${student}`, SK: 'USER' },
              ConditionExpression: cancel ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
            },
          },
          {
            Put: {
              TableName: TABLE_NAME,
              Item: {
                PK: `BOOKING#${lesson}`,
                SK: 'BOOKING',
                GSI1PK: `TEACHER#${teacher}`,
                GSI1SK: `${start}#${lesson}`,
                GSI2PK: `STUDENT#${student}`,
                GSI2SK: `${start}#${lesson}`,
                status: 'PENDING',
                start,
                durationMinutes: 60,
                note: 'n'.repeat(200),
                history: [{ at: start, by: student, to: 'PENDING' }],
              },
            },
          },
          lock(0),
          lock(1),
        ],
      }),
    );
    if (cancel) throw new Error(`transaction ${i} should have been cancelled by its condition`);
    return false;
  } catch (err) {
    if (cancel && isTransactionCanceled(err)) return true;
    throw err;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
}
