import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { StoreUnavailableError } from '@app/common';
import { batchWriteAll, createDocumentClient, ensureTable } from '@app/dynamo';
import { syncAllIndexes } from '@app/mongo';
import {
  createAccount,
  createTeacher,
  GraphQLResponse,
  startTestApp,
  subscribe,
  TEST_PASSWORD,
  TestAccount,
  TestApp,
} from '@app/testing';
import { S3Store } from '../src/stores/s3.store';
import { classifyStoreFailure } from '../src/stores/store-failures';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../scripts/lib/services');

type Service = { name: string; pid: number; port: number; url: string };

/** Every store call of the server under test gives up after this long (STORE_TIMEOUT_MS). */
const DEADLINE_MS = 1500;
/** Generous upper bound for an answer while a store is away: never near the jest timeout. */
const ANSWER_WITHIN_MS = 3 * DEADLINE_MS;

const ME = '{ me { id } }';
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
const LOG_IN = `mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }`;
const SEARCH = '{ searchTeachers(first: 10) { edges { node { id } } } }';
const OPEN_SLOTS = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
  openSlots(teacherId: $id, from: $from, to: $to, durationMinutes: 60) { start } }`;

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

/** The answer a client must get while a store is away: typed, retryable, traceable, and quick. */
function expectUnavailable({ value: res, ms }: { value: GraphQLResponse; ms: number }): void {
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  const [error] = res.errors!;
  expect(error.extensions).toMatchObject({ retryable: true, requestId: res.headers.get('x-request-id') });
  expect(error.message).toContain(res.headers.get('x-request-id')!);
  expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
}

/** Repeats `call` until it answers without errors (the store is back), at most `attempts` times. */
async function untilAnswered(call: () => Promise<GraphQLResponse>, attempts = 40): Promise<GraphQLResponse> {
  let last: GraphQLResponse | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await call();
    if (!last.errors) return last;
    // While recovering, a client may only ever be told to retry.
    expect(last.errors.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`still failing: ${JSON.stringify(last?.errors)}`);
}

/** Runs `during` while the process is stopped (SIGSTOP: its port stays open but nothing answers). */
async function frozen(service: Service, during: () => Promise<void>): Promise<void> {
  process.kill(service.pid, 'SIGSTOP');
  try {
    await during();
  } finally {
    thaw(service);
  }
}

function thaw(service: Service | undefined): void {
  try {
    if (service) process.kill(service.pid, 'SIGCONT');
  } catch {
    // already gone
  }
}

/** `store_unavailable_total{store}` as GET /metrics shows it. */
async function unavailableCount(t: TestApp, store: string): Promise<number> {
  const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
  const match = new RegExp(`^store_unavailable_total\\{store="${store}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * MongoDB, DynamoDB (and S3, same moto) and Redis each stopped ("down": port closed) and frozen
 * (SIGSTOP: port open, no answer), in processes of this test's own so no other suite is
 * disturbed: requests answer SERVICE_UNAVAILABLE (retryable, with the request id) within a few
 * deadlines, never UNAUTHENTICATED, and succeed again once the store is back, without a restart.
 */
describe('store faults', () => {
  let moto: Service;
  let mongo: Service;
  let redis: Service;
  let t: TestApp;
  let student: TestAccount;
  let teacher: TestAccount;

  beforeAll(async () => {
    [moto, mongo, redis] = await Promise.all([
      services.startMoto({ port: 0 }),
      services.startMongo({ port: 0 }),
      services.startRedis({ port: 0 }),
    ]);
    if (!redis) throw new Error('redis-server is not on PATH: `apt-get install redis-server`');
    t = await startTestApp({
      config: {
        DYNAMODB_ENDPOINT: moto.url,
        S3_ENDPOINT: moto.url,
        MONGODB_URI: `${mongo.url}/faults`,
        REDIS_URL: redis.url,
        STORE_TIMEOUT_MS: String(DEADLINE_MS),
        AUTH_RATE_LIMIT_PER_IP: '1000',
        AUTH_RATE_LIMIT_PER_ACCOUNT: '3',
      },
    });
    student = await createAccount(t, 'STUDENT');
    teacher = await createTeacher(t);
  });
  afterAll(async () => {
    for (const s of [moto, mongo, redis]) thaw(s);
    await t?.close();
    await Promise.all([moto, mongo, redis].map((s) => services.stopService(s)));
  });

  describe('DynamoDB (and S3)', () => {
    /** The student's calendar feed on this server (the URL names the configured public origin). */
    async function feedUrl(): Promise<string> {
      const { url } = (await student.gql.ok<{ calendarFeed: { url: string } }>('{ calendarFeed { url } }'))
        .calendarFeed;
      return `${t.baseUrl}${new URL(url).pathname}`;
    }

    /** What an authenticated client does: read its account, refresh its session, fetch its calendar. */
    async function expectEverythingUnavailable(feedUrl: string): Promise<void> {
      expectUnavailable(await timed(() => student.gql.request(ME)));
      expectUnavailable(await timed(() => t.gql.request(REFRESH, { t: student.refreshToken })));
      const feed = await timed(() => fetch(feedUrl));
      expect(feed.value.status).toBe(503);
      expect(feed.value.headers.get('retry-after')).toBe('1');
      expect(await feed.value.json()).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
        requestId: feed.value.headers.get('x-request-id'),
      });
      expect(feed.ms).toBeLessThan(ANSWER_WITHIN_MS);
      // No operation reads S3 yet: its client path is checked directly.
      const s3 = await timed(() =>
        t.app
          .get(S3Store)
          .bucketExists()
          .catch((err: unknown) => err),
      );
      expect(s3.value).toBeInstanceOf(StoreUnavailableError);
      expect(classifyStoreFailure(s3.value)).toBe('s3');
      expect(s3.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }

    /** The session survived the outage: the same refresh token still works, exactly once. */
    async function expectSessionIntact(): Promise<void> {
      expect((await untilAnswered(() => student.gql.request(ME))).data).toEqual({ me: { id: student.id } });
      const refreshed = await t.gql.ok<{ refreshSession: { accessToken: string; refreshToken: string } }>(REFRESH, {
        t: student.refreshToken,
      });
      student = { ...student, ...refreshed.refreshSession, gql: t.gql.as(refreshed.refreshSession.accessToken) };
    }

    it('frozen: SERVICE_UNAVAILABLE within the deadline, not a log-out; all is well after it thaws', async () => {
      const url = await feedUrl();
      const before = await unavailableCount(t, 'dynamodb');
      await frozen(moto, () => expectEverythingUnavailable(url));
      expect(await unavailableCount(t, 'dynamodb')).toBeGreaterThanOrEqual(before + 2);
      await expectSessionIntact();
      expect((await fetch(url)).status).toBe(200);
    });

    it('down: SERVICE_UNAVAILABLE at once, not a log-out; all is well when it is back with its data', async () => {
      const url = await feedUrl();
      const raw = createDocumentClient({ region: 'us-east-1', endpoint: moto.url });
      const items = (await raw.send(new ScanCommand({ TableName: t.names.table }))).Items ?? [];
      await services.stopService(moto);

      await expectEverythingUnavailable(url);

      // The same endpoint comes back with the same data (moto keeps none across restarts).
      moto = await services.startMoto({ port: moto.port });
      await ensureTable(raw, t.names.table);
      await batchWriteAll(
        raw,
        t.names.table,
        items.map((Item) => ({ PutRequest: { Item } })),
      );
      await t.app.get(S3Store).ensureBucket();
      raw.destroy();
      await expectSessionIntact();
      expect((await fetch(url)).status).toBe(200);
    });
  });

  describe('MongoDB', () => {
    const window = () => ({
      id: teacher.id,
      from: new Date(Date.now() + 86_400_000),
      to: new Date(Date.now() + 2 * 86_400_000),
    });

    async function expectSearchUnavailable(): Promise<void> {
      expectUnavailable(await timed(() => t.gql.request(SEARCH)));
      expectUnavailable(await timed(() => t.gql.request(OPEN_SLOTS, window())));
      // A signed-in caller is still signed in: only the MongoDB part fails.
      expect((await student.gql.request(ME)).data).toEqual({ me: { id: student.id } });
    }

    async function expectSearchAnswers(): Promise<void> {
      const found = await untilAnswered(() => t.gql.request(SEARCH));
      expect(found.data).toEqual({ searchTeachers: { edges: [{ node: { id: teacher.id } }] } });
      const slots = await t.gql.ok<{ openSlots: unknown[] }>(OPEN_SLOTS, window());
      expect(slots.openSlots.length).toBeGreaterThan(0);
    }

    it('frozen: SERVICE_UNAVAILABLE within the deadline; answers again after it thaws', async () => {
      const before = await unavailableCount(t, 'mongodb');
      await frozen(mongo, expectSearchUnavailable);
      expect(await unavailableCount(t, 'mongodb')).toBeGreaterThanOrEqual(before + 2);
      await expectSearchAnswers();
    });

    it('down: SERVICE_UNAVAILABLE within the deadline; answers again when it is back with its data', async () => {
      const connection = t.app.get<Connection>(getConnectionToken());
      const db = connection.db!;
      const collections = await db.listCollections().toArray();
      const snapshot = await Promise.all(
        collections.map(async (c) => ({ name: c.name, docs: await db.collection(c.name).find({}).toArray() })),
      );
      await services.stopService(mongo);

      await expectSearchUnavailable();

      mongo = await services.startMongo({ port: mongo.port });
      const restored = snapshot.filter((c) => c.docs.length > 0);
      const upsertAll = (c: (typeof restored)[number]) =>
        db
          .collection(c.name)
          .bulkWrite(
            c.docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
          );
      await untilRestored(() => Promise.all(restored.map(upsertAll)));
      await syncAllIndexes(connection);
      await expectSearchAnswers();
    });
  });

  describe('Redis', () => {
    const logIn = () => t.gql.request(LOG_IN, { i: { email: student.email, password: TEST_PASSWORD } });
    const wrongLogIn = (email: string) => t.gql.request(LOG_IN, { i: { email, password: 'not the password!' } });

    it('frozen: log-in goes on within the deadline, still rate limited in process; Redis is used again after', async () => {
      const before = await unavailableCount(t, 'redis');
      const stranger = `nobody-${Date.now()}@example.test`;
      await frozen(redis, async () => {
        const answered = await timed(logIn);
        expect(answered.value.data?.logIn).toBeDefined();
        expect(answered.ms).toBeLessThan(ANSWER_WITHIN_MS);
        // The per-account limit (3 in this file) still holds while counting in process.
        const codes = [];
        for (let i = 0; i < 4; i++) codes.push((await wrongLogIn(stranger)).errors?.[0]?.extensions?.code);
        expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
      });
      expect((await untilAnswered(logIn)).data?.logIn).toBeDefined();
      expect(await unavailableCount(t, 'redis')).toBe(before); // nothing failed for want of Redis
    });

    it('down: log-in and changes go on; a live update that cannot be published is not an error', async () => {
      // A subscription that ends while Redis is away: its unsubscribe command fails, and must not
      // become an unhandled rejection (which would stop the process and fail this file).
      const live = await subscribe(t.baseUrl, 'subscription { accountEvents { type } }', student.accessToken);
      await services.stopService(redis);
      await live.close();
      const answered = await timed(logIn);
      expect(answered.value.data?.logIn).toBeDefined();
      // A change is committed even though its live update cannot be published.
      const renamed = await timed(() =>
        student.gql.request(`mutation { updateMe(input: { displayName: "Renamed" }) { displayName } }`),
      );
      expect(renamed.value.data).toEqual({ updateMe: { displayName: 'Renamed' } });
      expect(renamed.ms).toBeLessThan(ANSWER_WITHIN_MS);

      redis = await services.startRedis({ port: redis.port });
      expect((await untilAnswered(logIn)).data?.logIn).toBeDefined();
    });
  });
});

/** MongoDB accepts writes again a moment after its process starts; retries a bounded number of times. */
async function untilRestored(write: () => Promise<unknown>, attempts = 20): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await write();
      return;
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
