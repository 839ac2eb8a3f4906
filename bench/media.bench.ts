/**
 * Image derivatives of a 12-megapixel JPEG: the time and peak memory of the work itself (verify
 * decode + 6 derivatives) on this machine, then the real server (createApp, NODE_ENV=production)
 * taking such photos through the upload API while a light query runs: its p50/p99 with derivatives
 * being made versus idle, so the image work is shown not to starve requests.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mongoose';
import sharp from 'sharp';
import { ulid } from 'ulid';
import { createApp } from '../src/app.factory';
import { ImageProcessor } from '../src/media/image-processing';
import { DynamoStore } from '../src/stores/dynamo.store';
import { BenchRow, median, ms, percentile, runPool, timeMs } from './lib';

const WIDTH = 4000;
const HEIGHT = 3000;
const DIRECT_RUNS = 5;
const UPLOADS = 4;
const LIGHT_CONCURRENCY = 4;
const IDLE_REQUESTS = 400;
const LIGHT_QUERY = '{ serverTime }';
const MAX_PIXELS = 60_000_000;

export const timeoutMs = 10 * 60_000;

export default async function mediaBench(): Promise<BenchRow[]> {
  const photo = await twelveMegapixelPhoto();
  return [...(await direct(photo)), ...(await overHttp(photo))];
}

/** A photo-like 4000 × 3000 JPEG: smooth gradients with grain (a flat image would decode unrealistically fast). */
async function twelveMegapixelPhoto(): Promise<Buffer> {
  const grain = await sharp({
    create: {
      width: WIDTH,
      height: HEIGHT,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 45 },
    },
  })
    .blur(0.5)
    .png({ compressionLevel: 0 })
    .toBuffer();
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2a6f97"/><stop offset="1" stop-color="#f4a261"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
  );
  return sharp(gradient)
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** RSS sampled every 5 ms while fn runs: the peak above what the process held before. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMiB: number; ms: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = process.hrtime.bigint();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMiB: (peak - base) / 2 ** 20, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

async function direct(photo: Buffer): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const threads of [1, 2]) {
    const images = new ImageProcessor(MAX_PIXELS, threads);
    await images.derive(photo); // warm-up
    const inspect: number[] = [];
    const derive: number[] = [];
    let peak = 0;
    for (let i = 0; i < DIRECT_RUNS; i++) {
      global.gc?.();
      const a = await peakRss(() => images.inspect(photo));
      const b = await peakRss(() => images.derive(photo));
      inspect.push(a.ms);
      derive.push(b.ms);
      peak = Math.max(peak, a.peakMiB, b.peakMiB);
    }
    rows.push({
      case: `12 MP JPEG (${(photo.length / 2 ** 20).toFixed(1)} MiB), libvips threads ${threads}`,
      'verify decode (median)': ms(median(inspect)),
      '6 derivatives (median)': ms(median(derive)),
      'peak RSS above baseline': `${peak.toFixed(0)} MiB`,
    });
  }
  return rows;
}

async function overHttp(photo: Buffer): Promise<BenchRow[]> {
  const id = ulid().toLowerCase();
  const names = { table: `bench-${id}`, bucket: `bench-${id}`, database: `bench-${id}` };
  const mongoUri = requiredEnv('MONGODB_URI').replace(/\/[^/?]*(\?|$)/, `/${names.database}$1`);
  const app: NestFastifyApplication = await createApp({
    config: {
      NODE_ENV: 'production',
      JWT_SECRET: `bench-only-secret-${id}-${'x'.repeat(16)}`,
      LOG_LEVEL: 'silent',
      BOOTSTRAP_RESOURCES: 'true',
      DYNAMODB_TABLE: names.table,
      S3_BUCKET: names.bucket,
      MONGODB_URI: mongoUri,
      JOBS_POLL_SECONDS: '1',
      MEDIA_IMAGE_THREADS: '1',
      STORE_TIMEOUT_MS: '30000',
      AUTH_RATE_LIMIT_PER_IP: '100000',
    },
  });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${port}/graphql`;
    const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown[] };
      if (!res.ok || body.errors?.length) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors ?? body)}`);
      return body.data as T;
    };
    const light = async () => void (await gql(LIGHT_QUERY));
    const token = (
      await gql('mutation S($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
        input: {
          email: `bench-${id}@example.test`,
          password: 'benchmark-password-123',
          displayName: 'Bench',
          timeZone: 'UTC',
          role: 'TEACHER',
        },
      })
    ).signUp.accessToken as string;

    await runPool(50, LIGHT_CONCURRENCY, light); // warm-up
    const idle = await runPool(IDLE_REQUESTS, LIGHT_CONCURRENCY, light);

    // Upload the photos (as a browser would), then keep the light query going until every one is READY.
    const ids: string[] = [];
    const completeMs: number[] = [];
    for (let i = 0; i < UPLOADS; i++) {
      const ticket = (
        await gql(
          'mutation C($input: CreateUploadInput!) { createUpload(input: $input) { media { id } url fields { name value } } }',
          { input: { purpose: 'PROFILE_PHOTO', contentType: 'image/jpeg', byteSize: photo.length } },
          token,
        )
      ).createUpload;
      const form = new FormData();
      for (const f of ticket.fields) form.append(f.name, f.value);
      form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
      const posted = await fetch(ticket.url, { method: 'POST', body: form });
      if (posted.status !== 204) throw new Error(`upload POST answered ${posted.status}`);
      ids.push(ticket.media.id);
    }
    const started = process.hrtime.bigint();
    const readyAt = new Map<string, number>();
    const statuses = async () => {
      for (const mediaId of ids) {
        if (readyAt.has(mediaId)) continue;
        const m = (await gql('query M($id: ID!) { media(id: $id) { status } }', { id: mediaId }, token)).media;
        if (m.status === 'READY') readyAt.set(mediaId, Number(process.hrtime.bigint() - started) / 1e6);
        if (m.status === 'REJECTED') throw new Error(`media ${mediaId} was rejected`);
      }
    };
    const busy: number[] = [];
    let stop = false;
    const loader = (async () => {
      while (!stop) busy.push(await timeMs(light));
    })();
    const loaders = Array.from({ length: LIGHT_CONCURRENCY - 1 }, async () => {
      while (!stop) busy.push(await timeMs(light));
    });
    for (const mediaId of ids) {
      completeMs.push(
        await timeMs(() => gql('mutation C($id: ID!) { completeUpload(id: $id) { status } }', { id: mediaId }, token)),
      );
    }
    for (let i = 0; i < 1200 && readyAt.size < ids.length; i++) {
      await statuses();
      await new Promise((r) => setTimeout(r, 250));
    }
    stop = true;
    await Promise.all([loader, ...loaders]);
    if (readyAt.size < ids.length) throw new Error('derivatives did not finish within 5 minutes');
    const allReady = Math.max(...readyAt.values());
    return [
      {
        case: `${LIGHT_QUERY} x ${IDLE_REQUESTS}, concurrency ${LIGHT_CONCURRENCY}, idle`,
        p50: ms(percentile(idle.latenciesMs, 50)),
        p99: ms(percentile(idle.latenciesMs, 99)),
      },
      {
        case: `${LIGHT_QUERY} while ${UPLOADS} × 12 MP are completed and derived (${busy.length} requests)`,
        p50: ms(percentile(busy, 50)),
        p99: ms(percentile(busy, 99)),
        'completeUpload (median)': ms(median(completeMs)),
        'all READY after': ms(allReady),
      },
    ];
  } finally {
    await app
      .get(DynamoStore)
      .client.send(new DeleteTableCommand({ TableName: names.table }))
      .catch(() => undefined);
    await app
      .get<Connection>(getConnectionToken())
      .dropDatabase()
      .catch(() => undefined);
    await app.close();
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through \`npm run bench\`)`);
  return value;
}
