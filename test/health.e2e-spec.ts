import { startTestApp, TestApp } from '@app/testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../scripts/lib/services');

type Ready = {
  status: number;
  body: {
    status: string;
    info?: Record<string, any>;
    error?: Record<string, any>;
    details: Record<string, { status: string }>;
  };
};

async function ready(t: TestApp): Promise<Ready> {
  const res = await fetch(`${t.baseUrl}/health/ready`);
  return { status: res.status, body: (await res.json()) as Ready['body'] };
}

async function until(t: TestApp, status: number, timeoutMs = 30000): Promise<Ready> {
  const deadline = Date.now() + timeoutMs;
  let last: Ready | undefined;
  while (Date.now() < deadline) {
    last = await ready(t);
    if (last.status === status) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`readiness stayed ${last?.status}: ${JSON.stringify(last?.body)}`);
}

describe('health', () => {
  let t: TestApp;
  let mongo: { port: number; url: string; pid: number };

  beforeAll(async () => {
    // A MongoDB process of this test's own, so stopping it does not disturb other suites.
    mongo = await services.startMongo({ port: 0 });
    t = await startTestApp({ config: { MONGODB_URI: `${mongo.url}/health`, READINESS_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
    await services.stopService(mongo);
  });

  it('live answers 200 without touching dependencies', async () => {
    const res = await fetch(`${t.baseUrl}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('ready is 200 with every dependency up', async () => {
    const r = await ready(t);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.details).sort()).toEqual(['dynamodb', 'mongodb', 'redis', 's3']);
    for (const dep of Object.values(r.body.details)) expect(dep.status).toBe('up');
  });

  it('ready turns 503 naming MongoDB when it stops, and 200 again when it is back, without a restart', async () => {
    await services.stopService(mongo);
    const down = await until(t, 503);
    expect(down.body.status).toBe('error');
    expect(down.body.details.mongodb.status).toBe('down');
    expect(down.body.details.dynamodb.status).toBe('up');
    expect(down.body.details.s3.status).toBe('up');

    // Liveness is unaffected: restarting the process would not bring MongoDB back.
    expect((await fetch(`${t.baseUrl}/health/live`)).status).toBe(200);

    mongo = await services.startMongo({ port: mongo.port });
    const up = await until(t, 200);
    expect(up.body.details.mongodb.status).toBe('up');
  });
});
