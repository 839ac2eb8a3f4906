/**
 * The price of the GraphQL layer: the production server (createApp, NODE_ENV=production, logging
 * silent, compiled by tsc as `npm run build` does) against a minimal hand-written node:http server
 * (bench/overhead/hand-server.ts) that gives byte-identical answers from the same stores with the
 * minimum store calls. Each server runs in its own process and reports its own CPU accounting,
 * so CPU per request is measured per server whatever else runs on the machine (the stand-in
 * stores are slow and share the cores; CPU per request is the figure that carries over).
 *
 * Bodies are compared byte for byte before anything is timed. Rounds interleave the two servers
 * (alternating who goes first). Knobs (environment): OVERHEAD_ROUNDS, OVERHEAD_REQUESTS,
 * OVERHEAD_CONCURRENCY, OVERHEAD_SCALING_REQUESTS, OVERHEAD_OPS=Me,MyLessons (only those),
 * OVERHEAD_CPU_PROF=1 (writes .cpuprofile files of both servers to .local/profiles/),
 * OVERHEAD_DATA_FILE=path (seed once, keep the data and reuse it on later runs).
 * OVERHEAD_NODE_OPTIONS='...' (both servers' Node options instead of production's).
 */
import { ChildProcess, fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mongo } from 'mongoose';
import { ulid } from 'ulid';
import { createApp } from '../src/app.factory';
import { BenchRow, BenchTables, median, percentile, timeMs } from './lib';
import { FromServer, OperationName, OPERATIONS, ServerStats, ToServer } from './overhead/operations';
import { logInAgain, seed, Seeded } from './overhead/seed';

const ROOT = path.join(__dirname, '..');
const BUILD = path.join(ROOT, '.local', 'bench-build');
const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = int('OVERHEAD_ROUNDS', 5);
/** Requests per operation, server and round: the stand-in stores are slow, CPU accounting is exact. */
const REQUESTS = int('OVERHEAD_REQUESTS', 40);
/** `me` is cheap for the stores: more of them. */
const REQUESTS_ME = int('OVERHEAD_REQUESTS_ME', 200);
const CONCURRENCY = int('OVERHEAD_CONCURRENCY', 4);
const SCALING_ROUNDS = int('OVERHEAD_SCALING_ROUNDS', 2);
const SCALING_REQUESTS = int('OVERHEAD_SCALING_REQUESTS', 30);
const WARMUP_REQUESTS = 300;
const WARMUP_PAGES = 30;
const IDLE_SECONDS = 10;
const PAGE_SIZES = [5, 20, 50, 100];
/** Page size of each operation in the main table (the issue's search page and lesson list). */
const MAIN_FIRST: Record<OperationName, number> = { SearchPage: 20, MyLessons: 50, Conversations: 20, Me: 0 };
const TARGET: Record<OperationName, number> = { SearchPage: 2, MyLessons: 2, Conversations: 2, Me: 1.5 };
const SLOPE_TARGET = 3;
/**
 * The production server's own settings: placeholders for the Stripe keys production requires
 * (nothing measured reaches Stripe), and no background jobs, whose polls would be counted as the
 * requests' CPU and store calls (everything the seeding raised was delivered before the start).
 */
const PRODUCTION_ONLY = {
  STRIPE_SECRET_KEY: 'sk_test_overhead_bench_placeholder',
  STRIPE_WEBHOOK_SECRET: 'whsec_overhead_bench_placeholder',
  JOBS_ENABLED: 'false',
};
/** The production start's heap cap (Dockerfile, Procfile, start:prod); both servers run with it. */
/** Both servers run with production's options (Dockerfile, Procfile, start:prod); OVERHEAD_NODE_OPTIONS tries others. */
const NODE_OPTIONS = process.env.OVERHEAD_NODE_OPTIONS ?? '--max-old-space-size=256 --max-semi-space-size=32';
/** 110 students: one lesson and one conversation each with the teacher, so every page size up to 100 is full. */
const SEED = { students: 110, lessons: 110, teachers: 119, reviewsPerTeacher: 5 };

export const timeoutMs = 40 * 60_000;

type ServerName = 'hand-written' | 'production';

export default async function overheadBench(): Promise<BenchTables> {
  const loadBefore = os.loadavg();
  build();
  // OVERHEAD_DATA_FILE (for profiling sessions): seed once, note the names there, reuse them later.
  const dataFile = process.env.OVERHEAD_DATA_FILE;
  const reused = dataFile && fs.existsSync(dataFile) ? (JSON.parse(fs.readFileSync(dataFile, 'utf8')) as Reused) : null;
  const id = reused?.id ?? ulid().toLowerCase();
  const names = { table: `overhead-${id}`, bucket: `overhead-${id}`, database: `overhead-${id}` };
  const mongoUri = requiredEnv('MONGODB_URI').replace(/\/[^/?]*(\?|$)/, `/${names.database}$1`);
  const shared = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    JWT_SECRET: `overhead-bench-secret-${id}`,
    JWT_ISSUER: 'take-sessions',
    JWT_AUDIENCE: 'take-sessions-api',
    DYNAMODB_TABLE: names.table,
    S3_BUCKET: names.bucket,
    MONGODB_URI: mongoUri,
    SEED_DEMO_DATA: 'false',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  };

  const PRODUCTION = { ...shared, ...PRODUCTION_ONLY };
  process.stderr.write('[overhead] seeding through the services ...\n');
  const seeder = await createApp({
    // Seeding calls the local Stripe (a lesson request authorises its payment), which production
    // configuration refuses: the seeder runs as development and delivers every outbox event first.
    config: { ...shared, NODE_ENV: 'development', BOOTSTRAP_RESOURCES: 'true', AUTH_RATE_LIMIT_PER_IP: '100000' },
  });
  let seeded: Seeded;
  try {
    await seeder.init(); // creates the table, bucket and indexes (BOOTSTRAP_RESOURCES)
    seeded = reused
      ? { ...reused.seeded, accessToken: await logInAgain(seeder, reused.seeded.teacherEmail) }
      : await seed(seeder, SEED);
  } finally {
    await seeder.close();
  }
  if (dataFile && !reused) fs.writeFileSync(dataFile, JSON.stringify({ id, seeded } satisfies Reused));

  const servers: Record<ServerName, Server> = {
    'hand-written': await Server.start('hand-written', 'hand-server.js', { BENCH_HAND_CONFIG: JSON.stringify(shared) }),
    production: await Server.start('production', 'app-server.js', { BENCH_APP_CONFIG: JSON.stringify(PRODUCTION) }),
  };
  const order: ServerName[] = ['hand-written', 'production'];
  const ops = (Object.keys(OPERATIONS) as OperationName[]).filter(
    (op) => !process.env.OVERHEAD_OPS || process.env.OVERHEAD_OPS.split(',').includes(op),
  );
  try {
    process.stderr.write('[overhead] comparing bodies ...\n');
    for (const op of ops) {
      for (const first of OPERATIONS[op].paged ? PAGE_SIZES : [0]) {
        const [a, b] = await Promise.all(order.map((s) => servers[s].call(op, first, seeded.accessToken)));
        assertSameBody(op, first, a, b);
      }
    }

    // Store calls of one request: the least seen over a few sequential requests, so that a
    // background job's call (the scheduler polls every few seconds) is never counted as the request's.
    const callsPerRequest = {} as Record<OperationName, Record<ServerName, Record<string, number>>>;
    for (const op of ops) {
      callsPerRequest[op] = { 'hand-written': {}, production: {} };
      for (const s of order) callsPerRequest[op][s] = await servers[s].callsOf(op, MAIN_FIRST[op], seeded.accessToken);
    }

    process.stderr.write('[overhead] warming up ...\n');
    for (const s of order)
      for (const op of ops)
        for (const first of OPERATIONS[op].paged ? PAGE_SIZES : [0])
          await servers[s].load(op, first, seeded.accessToken, OPERATIONS[op].paged ? WARMUP_PAGES : WARMUP_REQUESTS);
    const warm = Object.fromEntries(await Promise.all(order.map(async (s) => [s, await servers[s].stats()] as const)));
    for (const s of order) servers[s].maxRssUnderLoad = 0; // from here on: the timed rounds

    process.stderr.write(`[overhead] idle for ${IDLE_SECONDS} s ...\n`);
    const idleBefore = await Promise.all(order.map((s) => servers[s].stats()));
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idleAfter = await Promise.all(order.map((s) => servers[s].stats()));
    const idleMsPerSecond = order.map(
      (_, i) => (idleAfter[i].cpuMicros - idleBefore[i].cpuMicros) / 1000 / IDLE_SECONDS,
    );

    const main: Record<OperationName, Record<ServerName, Sample[]>> = {} as never;
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`[overhead] round ${round + 1}/${ROUNDS} ...\n`);
      for (const op of ops) {
        main[op] ??= { 'hand-written': [], production: [] };
        for (const s of round % 2 ? [...order].reverse() : order)
          main[op][s].push(
            await servers[s].load(op, MAIN_FIRST[op], seeded.accessToken, op === 'Me' ? REQUESTS_ME : REQUESTS),
          );
      }
    }

    const scaling: Record<string, Record<ServerName, Sample[]>> = {};
    for (let round = 0; round < SCALING_ROUNDS; round++) {
      process.stderr.write(`[overhead] scaling round ${round + 1}/${SCALING_ROUNDS} ...\n`);
      for (const op of ops.filter((o) => OPERATIONS[o].paged))
        for (const first of PAGE_SIZES) {
          const key = `${op}:${first}`;
          scaling[key] ??= { 'hand-written': [], production: [] };
          for (const s of round % 2 ? [...order].reverse() : order)
            scaling[key][s].push(await servers[s].load(op, first, seeded.accessToken, SCALING_REQUESTS));
        }
    }
    const end = Object.fromEntries(await Promise.all(order.map(async (s) => [s, await servers[s].stats()] as const)));

    const mainRows: BenchRow[] = [];
    for (const op of ops) {
      const ratio = median(main[op].production.map((p, i) => p.cpuMs / main[op]['hand-written'][i].cpuMs));
      for (const s of order) {
        const samples = main[op][s];
        const total = samples.reduce((n, x) => n + x.requests, 0);
        const lat = samples.flatMap((x) => x.latenciesMs);
        mainRows.push({
          case: `${label(op)}`,
          server: s,
          'store calls/request': describeCalls(callsPerRequest[op][s]),
          'req/s': Math.round((total * 1000) / samples.reduce((n, x) => n + x.wallMs, 0)),
          p50: `${percentile(lat, 50).toFixed(1)} ms`,
          p99: `${percentile(lat, 99).toFixed(1)} ms`,
          'CPU ms/request': (samples.reduce((n, x) => n + x.cpuMs, 0) / total).toFixed(3),
          'CPU ratio': s === 'production' ? `${ratio.toFixed(2)}x (target <= ${TARGET[op]}x)` : '',
        });
      }
    }

    const memoryRows: BenchRow[] = order.map((s, i) => ({
      case: s,
      'RSS after warm-up': mib(warm[s].rssBytes),
      'max RSS under load': mib(servers[s].maxRssUnderLoad),
      'RSS at the end': mib(end[s].rssBytes),
      'heap used / total at the end': `${mib(end[s].heapUsedBytes)} / ${mib(end[s].heapTotalBytes)}`,
      'peak RSS (incl. boot)': mib(end[s].maxRssBytes),
      'idle CPU': `${idleMsPerSecond[i].toFixed(2)} ms/s`,
    }));

    const scalingRows: BenchRow[] = [];
    for (const op of SCALING_ROUNDS > 0 ? ops.filter((o) => OPERATIONS[o].paged) : []) {
      const perServer = (s: ServerName) =>
        PAGE_SIZES.map((first) => {
          const samples = scaling[`${op}:${first}`][s];
          return samples.reduce((n, x) => n + x.cpuMs, 0) / samples.reduce((n, x) => n + x.requests, 0);
        });
      const hand = perServer('hand-written');
      const prod = perServer('production');
      PAGE_SIZES.forEach((first, i) =>
        scalingRows.push({
          case: label(op, first),
          'hand-written CPU ms/request': hand[i].toFixed(3),
          'production CPU ms/request': prod[i].toFixed(3),
          ratio: `${(prod[i] / hand[i]).toFixed(2)}x`,
        }),
      );
      const [handSlope, prodSlope] = [slope(PAGE_SIZES, hand), slope(PAGE_SIZES, prod)];
      scalingRows.push({
        case: `${label(op)}: CPU ms per item (slope)`,
        'hand-written CPU ms/request': handSlope.toFixed(4),
        'production CPU ms/request': prodSlope.toFixed(4),
        ratio: `${(prodSlope / handSlope).toFixed(2)}x (target <= ${SLOPE_TARGET}x)`,
      });
    }

    const cpu = os.cpus();
    return {
      tables: [
        {
          title: `Per operation: ${ROUNDS} interleaved rounds of ${REQUESTS} requests (me: ${REQUESTS_ME}), ${CONCURRENCY} in flight`,
          rows: mainRows,
        },
        { title: 'Memory and idle CPU of the server processes', rows: memoryRows },
        {
          title: `Scaling with the page size: ${SCALING_ROUNDS} interleaved rounds of ${SCALING_REQUESTS} requests per size`,
          rows: scalingRows,
        },
      ],
      notes: [
        `Machine: ${cpu.length} x ${cpu[0]?.model.trim()}, ${mib(os.totalmem())} memory; load average ${fmtLoad(loadBefore)} before, ${fmtLoad(os.loadavg())} after.`,
        `Data: ${SEED.teachers + 1} published teachers with ${SEED.reviewsPerTeacher} reviews each, ${SEED.lessons} lessons and ${SEED.students} conversations of one teacher, ${SEED.students} students.`,
        'CPU ratio: median over rounds of production CPU per request / hand-written CPU per request (each from its own process accounting).',
        `Requests retried once after a failure under load: ${order.map((s) => `${s} ${servers[s].retries}`).join(', ')}.`,
      ],
    };
  } finally {
    await Promise.all(order.map((s) => servers[s].stop()));
    if (!dataFile) await dropStores(names, mongoUri);
  }
}

interface Reused {
  id: string;
  seeded: Seeded;
}

interface Sample {
  requests: number;
  wallMs: number;
  latenciesMs: number[];
  cpuMs: number;
  storeCalls: Record<string, number>;
}

/** One server process and a keep-alive client for it. */
class Server {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  private nextId = 0;
  private readonly waiting = new Map<number, (s: ServerStats) => void>();

  private constructor(
    readonly name: ServerName,
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (msg: FromServer) => {
      if (msg.type === 'stats') {
        this.waiting.get(msg.id)?.(msg.stats);
        this.waiting.delete(msg.id);
      }
    });
  }

  static async start(name: ServerName, script: string, env: Record<string, string>): Promise<Server> {
    // Production configuration refuses a Stripe endpoint override; the measured operations never call Stripe.
    const { STRIPE_API_BASE: _local, ...inherited } = process.env;
    const execArgv = [
      '--expose-gc',
      ...(process.env.OVERHEAD_CPU_PROF
        ? [
            '--cpu-prof',
            '--cpu-prof-dir',
            path.join(ROOT, '.local', 'profiles'),
            '--cpu-prof-name',
            `${name}-${Date.now()}.cpuprofile`,
          ]
        : []),
    ];
    const child = fork(path.join(BUILD, 'bench', 'overhead', script), [], {
      env: { ...inherited, ...env, NODE_ENV: 'production', NODE_OPTIONS },
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (msg: FromServer) =>
        msg.type === 'ready'
          ? resolve(msg.port)
          : reject(new Error(`${name} failed: ${'error' in msg ? msg.error : ''}`)),
      );
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    });
    return new Server(name, child, port);
  }

  /** The process's accounting; with `collect`, after a full garbage collection in the server. */
  stats(collect = false): Promise<ServerStats> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ type: 'stats', id, collect } satisfies ToServer);
    });
  }

  /** One request; the raw body. */
  call(op: OperationName, first: number, token: string): Promise<string> {
    const { query, auth, paged } = OPERATIONS[op];
    const body = JSON.stringify({ operationName: op, query, variables: paged ? { first } : {} });
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: '/graphql',
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(auth ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200 || text.includes('"errors"'))
              reject(new Error(`${this.name} ${op}: HTTP ${res.statusCode} ${text.slice(0, 500)}`));
            else resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Store calls of one request (`store:operation` -> count): the least over 5 sequential requests. */
  async callsOf(op: OperationName, first: number, token: string): Promise<Record<string, number>> {
    const seen: Array<Record<string, number>> = [];
    for (let i = 0; i < 5; i++) {
      const before = await this.stats();
      await this.call(op, first, token);
      const after = await this.stats();
      seen.push(
        Object.fromEntries(Object.entries(after.storeCalls).map(([k, v]) => [k, v - (before.storeCalls[k] ?? 0)])),
      );
    }
    const keys = new Set(seen.flatMap((s) => Object.keys(s)));
    return Object.fromEntries([...keys].map((k) => [k, Math.min(...seen.map((s) => s[k] ?? 0))]));
  }

  /** Resident memory now, from /proc (costs the server nothing); 0 where there is no /proc. */
  rss(): number {
    try {
      return Number(fs.readFileSync(`/proc/${this.child.pid}/statm`, 'utf8').split(' ')[1]) * 4096;
    } catch {
      return 0;
    }
  }

  /** Requests that failed once under load and were sent again (reported with the results). */
  retries = 0;

  /** Highest RSS sampled while requests were in flight. */
  maxRssUnderLoad = 0;

  /** `count` requests with CONCURRENCY in flight, measured by the server's own CPU accounting. */
  async load(op: OperationName, first: number, token: string, count: number): Promise<Sample> {
    const sampler = setInterval(() => (this.maxRssUnderLoad = Math.max(this.maxRssUnderLoad, this.rss())), 200);
    // Each batch starts from a collected heap in both servers, so that the garbage one operation
    // leaves is not collected on (and charged to) the next one's requests; a batch's own garbage
    // is still collected within it and counted.
    const before = await this.stats(true);
    const latenciesMs: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        // One retry: a stand-in store dropping a connection under load must not end a long run.
        latenciesMs.push(
          await timeMs(() =>
            this.call(op, first, token).catch(() => {
              this.retries++;
              return this.call(op, first, token);
            }),
          ),
        );
      }
    };
    const wallMs = await timeMs(() => Promise.all(Array.from({ length: CONCURRENCY }, worker)));
    const after = await this.stats();
    clearInterval(sampler);
    const storeCalls: Record<string, number> = {};
    for (const [k, v] of Object.entries(after.storeCalls))
      if (v !== (before.storeCalls[k] ?? 0)) storeCalls[k] = v - (before.storeCalls[k] ?? 0);
    return { requests: count, wallMs, latenciesMs, cpuMs: (after.cpuMicros - before.cpuMicros) / 1000, storeCalls };
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies ToServer);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Compiles src, libs and the two server entries as `npm run build` does (tsc), into .local/bench-build. */
function build(): void {
  process.stderr.write('[overhead] compiling with tsc ...\n');
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, 'overhead', 'tsconfig.json')],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  const assets = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'copy-assets.js'), BUILD], {
    encoding: 'utf8',
  });
  if (assets.status !== 0) throw new Error(`copying the assets failed:\n${assets.stdout}${assets.stderr}`);
}

function assertSameBody(op: OperationName, first: number, hand: string, prod: string): void {
  if (hand === prod) return;
  let i = 0;
  while (i < hand.length && hand[i] === prod[i]) i++;
  throw new Error(
    `${label(op, first)}: bodies differ at byte ${i}\n  hand-written: …${hand.slice(Math.max(0, i - 80), i + 80)}\n  production:   …${prod.slice(Math.max(0, i - 80), i + 80)}`,
  );
}

function label(op: OperationName, first?: number): string {
  const f = first ?? MAIN_FIRST[op];
  if (op === 'SearchPage') return `searchTeachers(first: ${f}) + reviews(first: 3)`;
  if (op === 'MyLessons') return `myLessons(AS_TEACHER, first: ${f})`;
  if (op === 'Conversations') return `conversations(first: ${f}) + lastMessage`;
  return 'me';
}

function describeCalls(calls: Record<string, number>): string {
  const parts = Object.entries(calls)
    .filter(([, v]) => v > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${v} ${k.split(':')[1]}`);
  return parts.join(' + ') || '0';
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const num = xs.reduce((n, x, i) => n + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((n, x) => n + (x - mx) ** 2, 0);
  return num / den;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

async function dropStores(names: { table: string; bucket: string }, mongoUri: string): Promise<void> {
  const dynamo = new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT });
  const s3 = new S3Client({ region: process.env.AWS_REGION, endpoint: process.env.S3_ENDPOINT, forcePathStyle: true });
  const client = new mongo.MongoClient(mongoUri);
  await Promise.all([
    dynamo.send(new DeleteTableCommand({ TableName: names.table })).catch(() => undefined),
    s3.send(new DeleteBucketCommand({ Bucket: names.bucket })).catch(() => undefined),
    client
      .connect()
      .then(() => client.db().dropDatabase())
      .catch(() => undefined),
  ]);
  await client.close();
  dynamo.destroy();
  s3.destroy();
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through \`npm run bench\`)`);
  return value;
}
