/**
 * Password hashing cost, and the authenticated request path end to end: the real server (the same
 * createApp as main.ts and the tests) on a loopback port, against the local services.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';
import { ulid } from 'ulid';
import { createApp } from '../src/app.factory';
import { PasswordService } from '../src/auth/password.service';
import { MetricsService } from '../src/observability/metrics.service';
import { DynamoStore } from '../src/stores/dynamo.store';
import { S3Store } from '../src/stores/s3.store';
import { BenchRow, median, ms, perSecond, percentile, runPool, timeMs } from './lib';

const HASH_RUNS = 20;
const LOGINS = 200;
const LOGIN_CONCURRENCY = 4;
const ME_REQUESTS = 1_000;
const ME_CONCURRENCY = 8;
const PASSWORD = 'benchmark-password-123';

export default async function authBench(): Promise<BenchRow[]> {
  return [...(await passwordHashing()), ...(await overHttp())];
}

/** argon2id with PasswordService's parameters (m = 19 MiB, t = 2, p = 1), one at a time. */
async function passwordHashing(): Promise<BenchRow[]> {
  const passwords = new PasswordService();
  await passwords.onModuleInit();
  const hash = await passwords.hash(PASSWORD);
  await passwords.verify(hash, PASSWORD); // warm-up
  const hashTimes: number[] = [];
  const verifyTimes: number[] = [];
  for (let i = 0; i < HASH_RUNS; i++) hashTimes.push(await timeMs(() => passwords.hash(PASSWORD)));
  for (let i = 0; i < HASH_RUNS; i++) {
    verifyTimes.push(
      await timeMs(async () => {
        if (!(await passwords.verify(hash, PASSWORD))) throw new Error('argon2 verify rejected the right password');
      }),
    );
  }
  return [
    { case: 'argon2id hash', 'p50 / median': ms(median(hashTimes)), runs: HASH_RUNS },
    { case: 'argon2id verify', 'p50 / median': ms(median(verifyTimes)), runs: HASH_RUNS },
  ];
}

async function overHttp(): Promise<BenchRow[]> {
  const id = ulid().toLowerCase();
  const names = { table: `bench-${id}`, bucket: `bench-${id}`, database: `bench-${id}` };
  const mongoUri = requiredEnv('MONGODB_URI').replace(/\/[^/?]*(\?|$)/, `/${names.database}$1`);
  const app: NestFastifyApplication = await createApp({
    config: {
      NODE_ENV: 'production',
      JWT_SECRET: `bench-only-secret-${id}-${'x'.repeat(16)}`,
      LOG_LEVEL: 'silent',
      BOOTSTRAP_RESOURCES: 'true',
      SEED_DEMO_DATA: 'false',
      DYNAMODB_TABLE: names.table,
      S3_BUCKET: names.bucket,
      MONGODB_URI: mongoUri,
      AUTH_RATE_LIMIT_PER_IP: '100000',
      AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
    },
  });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const gql = graphqlClient(`http://127.0.0.1:${port}/graphql`);

    const email = `bench-${id}@example.test`;
    await gql('mutation SignUp($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
      input: { email, password: PASSWORD, displayName: 'Bench Student', timeZone: 'Europe/Berlin', role: 'STUDENT' },
    });

    const logIn = async (): Promise<string> => {
      const data = await gql<{ logIn: { accessToken: string } }>(
        'mutation LogIn($input: LogInInput!) { logIn(input: $input) { accessToken } }',
        { input: { email, password: PASSWORD } },
      );
      return data.logIn.accessToken;
    };
    await runPool(8, LOGIN_CONCURRENCY, async () => void (await logIn())); // warm-up
    const logins = await runPool(LOGINS, LOGIN_CONCURRENCY, async () => void (await logIn()));

    const token = await logIn();
    const userId = (await gql<{ me: { id: string } }>('query Me { me { id } }', {}, token)).me.id;
    const me = async () => {
      const data = await gql<{ me: { id: string } }>('query Me { me { id } }', {}, token);
      if (data.me.id !== userId) throw new Error('me returned another user');
    };
    await runPool(50, ME_CONCURRENCY, me); // warm-up
    const metrics = app.get(MetricsService);
    const dynamoBefore = await metrics.storeCallCount('dynamodb');
    const meRuns = await runPool(ME_REQUESTS, ME_CONCURRENCY, me);
    const dynamoCalls = (await metrics.storeCallCount('dynamodb')) - dynamoBefore;

    return [
      {
        case: `logIn over HTTP, ${LOGINS} x, concurrency ${LOGIN_CONCURRENCY}`,
        p50: ms(percentile(logins.latenciesMs, 50)),
        p95: ms(percentile(logins.latenciesMs, 95)),
        throughput: perSecond(LOGINS, logins.wallMs),
      },
      {
        case: `{ me { id } } authenticated, ${ME_REQUESTS} x, concurrency ${ME_CONCURRENCY}`,
        p50: ms(percentile(meRuns.latenciesMs, 50)),
        p95: ms(percentile(meRuns.latenciesMs, 95)),
        throughput: perSecond(ME_REQUESTS, meRuns.wallMs),
        'DynamoDB calls/request': (dynamoCalls / ME_REQUESTS).toFixed(2),
      },
    ];
  } finally {
    await app
      .get(DynamoStore)
      .client.send(new DeleteTableCommand({ TableName: names.table }))
      .catch(() => undefined);
    await app
      .get(S3Store)
      .client.send(new DeleteBucketCommand({ Bucket: names.bucket }))
      .catch(() => undefined);
    await app
      .get<Connection>(getConnectionToken())
      .dropDatabase()
      .catch(() => undefined);
    await app.close();
  }
}

type GraphQL = <T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<T>;

/** Fails on any GraphQL error, so a throttled or broken request can never count as a fast one. */
function graphqlClient(url: string): GraphQL {
  return async <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (!res.ok || body.errors?.length)
      throw new Error(`GraphQL request failed (${res.status}): ${JSON.stringify(body.errors ?? body)}`);
    return body.data as T;
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through \`npm run bench\`)`);
  return value;
}
