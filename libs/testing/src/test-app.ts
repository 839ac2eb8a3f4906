import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { createApp } from '../../../src/app.factory';
import type { AppModuleOptions } from '../../../src/app.module';
import { DynamoStore } from '../../../src/stores/dynamo.store';
import { MetricsService } from '../../../src/observability/metrics.service';
import { GraphQLClient } from './graphql-client';
import { TestClock } from './test-clock';

/**
 * The store deadline of test servers. The suite shares one moto (which serializes requests),
 * MongoDB and Redis on a machine that may be busy, where a burst of calls can queue for seconds;
 * the production default (3 s) would turn that queueing into SERVICE_UNAVAILABLE. Tests of the
 * deadlines themselves set their own STORE_TIMEOUT_MS (test/store-faults.e2e-spec.ts).
 */
export const TEST_STORE_TIMEOUT_MS = process.env.TEST_STORE_TIMEOUT_MS ?? '30000';

export interface TestApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  gql: GraphQLClient;
  metrics: MetricsService;
  names: { table: string; bucket: string; database: string };
  /** The MongoDB URI of this server's database (another instance can share it). */
  mongoUri: string;
  /** The server's clock; move it forward to reach later moments without waiting. */
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * Boots the real server on a free loopback port against the local services started by the jest
 * global setup, with a table, bucket and database of its own so test files never share state.
 */
export function startTestApp(options: AppModuleOptions = {}): Promise<TestApp> {
  const starting = bootTestApp(options).then((t) => {
    openApps.add(t);
    return t;
  });
  startingApps.add(starting);
  const forget = () => startingApps.delete(starting);
  starting.then(forget, forget);
  return starting;
}

/**
 * The servers of this test file that are still open, and those still booting: a beforeAll that
 * timed out on a busy machine leaves its server booting, and no afterAll of the file holds it.
 * Left open, its relay and job polling would load the shared moto for the rest of the run
 * (the suite runs in band) and keep jest from exiting.
 */
const openApps = new Set<TestApp>();
const startingApps = new Set<Promise<TestApp>>();

/** Closes what the file left open; answers how many servers that was. Used by leftover-apps.setup.ts. */
export async function closeLeftoverTestApps(bootWaitMs = 120_000): Promise<number> {
  const booting = [...startingApps].map((p) => p.catch(() => undefined));
  if (booting.length > 0) {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((r) => (timer = setTimeout(r, bootWaitMs)));
    await Promise.race([Promise.all(booting), gaveUp]);
    clearTimeout(timer);
  }
  const leftovers = [...openApps];
  await Promise.all(leftovers.map((t) => t.close().catch(() => undefined)));
  return leftovers.length;
}

async function bootTestApp(options: AppModuleOptions): Promise<TestApp> {
  const id = ulid().toLowerCase();
  const names = { table: `t-${id}`, bucket: `b-${id}`, database: `db-${id}` };
  const mongoBase = requiredEnv('MONGODB_URI').replace(/\/[^/?]*(\?|$)/, `/${names.database}$1`);
  const clock = options.clock instanceof TestClock ? options.clock : new TestClock();
  const app = await createApp({
    ...options,
    clock,
    config: {
      NODE_ENV: 'test',
      // Unexpected errors of every test server land in one file CI can show when a test fails.
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      LOG_FILE: process.env.TEST_LOG_FILE ?? join(__dirname, '..', '..', '..', '.local', 'logs', 'test-servers.log'),
      BOOTSTRAP_RESOURCES: 'true',
      DYNAMODB_TABLE: names.table,
      S3_BUCKET: names.bucket,
      MONGODB_URI: mongoBase,
      STORE_TIMEOUT_MS: TEST_STORE_TIMEOUT_MS,
      ...options.config,
    },
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const testApp: TestApp = {
    app,
    baseUrl,
    gql: new GraphQLClient(baseUrl),
    metrics: app.get(MetricsService),
    names,
    mongoUri: mongoBase,
    clock,
    async close() {
      openApps.delete(testApp);
      const dynamo = app.get(DynamoStore);
      const mongo = app.get<Connection>(getConnectionToken());
      await dynamo.client.send(new DeleteTableCommand({ TableName: names.table })).catch(() => undefined);
      await mongo.dropDatabase().catch(() => undefined);
      await app.close();
    },
  };
  return testApp;
}

/**
 * Another server instance on the same table, bucket and database as `first` (as a second node of a
 * cluster would be); it creates nothing and deletes nothing when closed.
 */
export async function startAnotherInstance(first: TestApp, options: AppModuleOptions = {}): Promise<TestApp> {
  const other = await startTestApp({
    ...options,
    config: {
      DYNAMODB_TABLE: first.names.table,
      S3_BUCKET: first.names.bucket,
      MONGODB_URI: first.mongoUri,
      BOOTSTRAP_RESOURCES: 'false',
      ...options.config,
    },
  });
  const instance: TestApp = {
    ...other,
    names: first.names,
    close: async () => {
      openApps.delete(instance);
      await other.app.close();
    },
  };
  openApps.delete(other);
  openApps.add(instance);
  return instance;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the tests through jest (its global setup starts the services)`);
  return value;
}
