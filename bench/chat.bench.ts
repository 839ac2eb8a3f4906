/**
 * Chat across two server instances on one Redis: 200 authenticated graphql-ws sockets spread over
 * them (the two users of each of 100 conversations on different instances), message delivery
 * latency from the send to the recipient's socket, sustained messages per second, and server
 * memory per idle socket. The two measured servers are their own processes (src/main.ts, as
 * `npm start` runs it), so their memory is theirs alone; accounts are made through an in-process
 * instance on the same stores.
 */
import { readFileSync } from 'node:fs';
import { ulid } from 'ulid';
import {
  createAccount,
  createTeacher,
  GraphQLClient,
  startTestApp,
  subscribe,
  Subscription,
  TestAccount,
  TestApp,
} from '@app/testing';
import { exited, spawnServer, waitForOutput } from '../test/server-process';
import { BenchTables, ms, percentile, perSecond, runPool } from './lib';

const CONVERSATIONS = 100;
const SEQUENTIAL_MESSAGES = 200;
const SUSTAINED_MESSAGES = 1_000;
const SUSTAINED_CONCURRENCY = 16;
const SOCKET_BATCH = 20;
const DELIVERY_TIMEOUT_MS = 30_000;

export const timeoutMs = 10 * 60_000;

type MessageEvent = { messageEvents: { type: string; message: { id: string } | null } };
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;

export default async function chatBench(): Promise<BenchTables> {
  const setup = await startTestApp({
    config: { AUTH_RATE_LIMIT_PER_IP: '100000', JOBS_ENABLED: 'false', LOG_LEVEL: 'silent' },
  });
  const servers: Array<ReturnType<typeof spawnServer>> = [];
  const sockets: Array<Subscription<MessageEvent>> = [];
  try {
    // 100 conversations, each started by its student.
    const pairs: Array<{ student: TestAccount; teacher: TestAccount; conversationId: string }> = [];
    for (let i = 0; i < CONVERSATIONS; i += 10) {
      pairs.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, CONVERSATIONS - i) }, async () => {
            const [student, teacher] = await Promise.all([createAccount(setup, 'STUDENT'), createTeacher(setup)]);
            const { sendMessage } = await student.gql.ok(
              `mutation($input: SendMessageInput!) { sendMessage(input: $input) { conversationId } }`,
              { input: { toUserId: teacher.id, clientMessageId: ulid(), text: 'hello' } },
            );
            return { student, teacher, conversationId: sendMessage.conversationId as string };
          }),
        )),
      );
    }

    const urls = await Promise.all([0, 1].map(() => startServer(setup, servers)));
    const rssBefore = servers.map((s) => rssOf(s.pid!));

    // Student on one instance, teacher on the other: every message crosses instances.
    const sides = pairs.flatMap((p, i) => [
      { who: p.student, url: urls[i % 2] },
      { who: p.teacher, url: urls[(i + 1) % 2] },
    ]);
    const socketOf = new Map<string, Subscription<MessageEvent>>();
    for (let i = 0; i < sides.length; i += SOCKET_BATCH) {
      const batch = await Promise.all(
        sides
          .slice(i, i + SOCKET_BATCH)
          .map((s) =>
            subscribe<MessageEvent>(s.url, 'subscription { messageEvents { type message { id } } }', s.who.accessToken),
          ),
      );
      batch.forEach((sub, j) => {
        listen(sub);
        socketOf.set(sides[i + j].who.id, sub);
      });
      sockets.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 2_000)); // let the servers settle before measuring memory
    const rssAfter = servers.map((s) => rssOf(s.pid!));
    const perSocketKiB = rssAfter.reduce((sum, r, i) => sum + r - rssBefore[i], 0) / sockets.length / 1024;

    // Each sender posts to the instance its own socket is on.
    const clientOf = (who: TestAccount, i: number, asStudent: boolean) =>
      new GraphQLClient(urls[asStudent ? i % 2 : (i + 1) % 2]).as(who.accessToken);
    const senders = pairs.map((p, i) => ({
      student: clientOf(p.student, i, true),
      teacher: clientOf(p.teacher, i, false),
    }));

    /** Sends one message and resolves with the milliseconds until the recipient's socket had it. */
    const deliver = async (n: number): Promise<number> => {
      const i = n % CONVERSATIONS;
      const fromStudent = Math.floor(n / CONVERSATIONS) % 2 === 0;
      const pair = pairs[i];
      const recipient = socketOf.get(fromStudent ? pair.teacher.id : pair.student.id)!;
      const client = fromStudent ? senders[i].student : senders[i].teacher;
      const start = process.hrtime.bigint();
      const { sendMessage } = await client.ok(SEND, {
        input: { conversationId: pair.conversationId, clientMessageId: ulid(), text: `message ${n}` },
      });
      await arrived(recipient, sendMessage.id as string);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };

    for (let n = 0; n < 20; n++) await deliver(n); // warm-up
    const sequential: number[] = [];
    for (let n = 0; n < SEQUENTIAL_MESSAGES; n++) sequential.push(await deliver(n));
    const sustained = await runPool(SUSTAINED_MESSAGES, SUSTAINED_CONCURRENCY, async (n) => void (await deliver(n)));

    return {
      tables: [
        {
          title: `Delivery from sendMessage on one instance to the recipient's socket on the other (${CONVERSATIONS} conversations, ${sockets.length} sockets)`,
          rows: [
            {
              case: `one at a time, ${SEQUENTIAL_MESSAGES} messages`,
              p50: ms(percentile(sequential, 50)),
              p99: ms(percentile(sequential, 99)),
            },
            {
              case: `${SUSTAINED_CONCURRENCY} senders at once, ${SUSTAINED_MESSAGES} messages`,
              p50: ms(percentile(sustained.latenciesMs, 50)),
              p99: ms(percentile(sustained.latenciesMs, 99)),
              'messages/s (delivered)': perSecond(SUSTAINED_MESSAGES, sustained.wallMs),
            },
          ],
        },
        {
          title: 'Server memory per idle authenticated socket (RSS of the two server processes)',
          rows: [
            {
              case: `${sockets.length} sockets, each subscribed to messageEvents`,
              'RSS before (MiB)': (rssBefore.reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1),
              'RSS after (MiB)': (rssAfter.reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1),
              'per socket': `${perSocketKiB.toFixed(1)} KiB`,
            },
          ],
        },
      ],
      notes: [
        'Everything on one machine: the benchmark process (clients), two servers, moto, MongoDB (mongo-java-server) and redis-server share its CPUs.',
      ],
    };
  } finally {
    await Promise.all(sockets.map((s) => s.close().catch(() => undefined)));
    for (const server of servers) {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
      await exited(server);
    }
    await setup.close();
  }
}

async function startServer(setup: TestApp, servers: Array<ReturnType<typeof spawnServer>>): Promise<string> {
  const server = spawnServer({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    BOOTSTRAP_RESOURCES: 'false',
    DYNAMODB_TABLE: setup.names.table,
    S3_BUCKET: setup.names.bucket,
    MONGODB_URI: setup.mongoUri,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT!,
    S3_ENDPOINT: process.env.S3_ENDPOINT!,
    REDIS_URL: process.env.REDIS_URL!,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    JOBS_ENABLED: 'false',
    CHAT_SEND_RATE_LIMIT: '100000',
  });
  servers.push(server);
  const [, url] = await waitForOutput(server, /ready at (http:\/\/\S+)/);
  return `http://127.0.0.1:${new URL(url).port}`;
}

/** Waiters by message id, woken by the socket that receives it (no polling, so no added latency). */
const awaited = new Map<string, () => void>();

function listen(socket: Subscription<MessageEvent>): void {
  const push = socket.events.push.bind(socket.events);
  socket.events.push = (...events: MessageEvent[]) => {
    const length = push(...events);
    for (const e of events) {
      const id = e.messageEvents.message?.id;
      if (id) awaited.get(id)?.();
    }
    return length;
  };
}

/** Resolves when the socket has received the message (bounded: a lost message fails the benchmark). */
function arrived(socket: Subscription<MessageEvent>, messageId: string): Promise<void> {
  if (socket.events.some((e) => e.messageEvents.message?.id === messageId)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      awaited.delete(messageId);
      reject(new Error(`message ${messageId} was not delivered within ${DELIVERY_TIMEOUT_MS} ms`));
    }, DELIVERY_TIMEOUT_MS);
    awaited.set(messageId, () => {
      clearTimeout(timer);
      awaited.delete(messageId);
      resolve();
    });
  });
}

function rssOf(pid: number): number {
  const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
  return pages * 4096;
}
