import {
  createAccount,
  createTeacher,
  startTestApp,
  subscribe,
  Subscription,
  TestAccount,
  TestApp,
} from '@app/testing';
import { send } from './chat-support';
import { exited, spawnServer, waitForOutput } from './server-process';

const PRESENCE = {
  PRESENCE_HEARTBEAT_SECONDS: '1',
  PRESENCE_TTL_SECONDS: '4',
  PRESENCE_GRACE_SECONDS: '1',
  PRESENCE_SWEEP_SECONDS: '1',
};

type PresenceEvent = { presenceChanged: { userId: string; status: string; lastSeenAt: string | null } };

/**
 * An instance that dies (SIGKILL: no socket is closed, no shutdown hook runs) stops renewing its
 * sockets' presence leases; another instance's sweep takes their users offline once the leases
 * lapse, with the last heartbeat as their last-seen time.
 */
describe('presence when an instance dies', () => {
  let one: TestApp;
  let server: ReturnType<typeof spawnServer> | undefined;
  const open: Array<Subscription<unknown>> = [];

  beforeAll(async () => {
    one = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', ...PRESENCE } });
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited(server);
    }
    await one?.close();
  });

  it("makes the dead instance's users offline within the presence TTL", async () => {
    const [a, b]: TestAccount[] = await Promise.all([createAccount(one, 'STUDENT'), createTeacher(one)]);
    await send(a, { toUserId: b.id, text: 'are you there?' });
    // A second instance on the same stores, as its own process.
    server = spawnServer({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_RESOURCES: 'false',
      DYNAMODB_TABLE: one.names.table,
      S3_BUCKET: one.names.bucket,
      MONGODB_URI: one.mongoUri,
      DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT!,
      S3_ENDPOINT: process.env.S3_ENDPOINT!,
      REDIS_URL: process.env.REDIS_URL!,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      JOBS_ENABLED: 'false',
      ...PRESENCE,
    });
    const [, url] = await waitForOutput(server, /ready at (http:\/\/\S+)/);
    const baseUrl = `http://127.0.0.1:${new URL(url).port}`;

    const aPresence = await subscribe<PresenceEvent>(
      one.baseUrl,
      'subscription { presenceChanged { userId status lastSeenAt } }',
      a.accessToken,
    );
    open.push(aPresence);
    const bSocket = await subscribe(baseUrl, 'subscription { messageEvents { type } }', b.accessToken);
    open.push(bSocket);
    const ofB = () => aPresence.events.map((e) => e.presenceChanged).filter((p) => p.userId === b.id);
    await until(() => ofB().length >= 1, 'B online');
    expect(ofB()[0].status).toBe('ONLINE');

    // Let a few heartbeats renew B's lease, then kill the instance without any goodbye.
    await new Promise((r) => setTimeout(r, 2_500));
    const killedAt = Date.now();
    server.kill('SIGKILL');
    await exited(server);
    await until(() => ofB().length >= 2, 'B offline', 30_000);
    const offline = ofB()[1];
    expect(offline.status).toBe('OFFLINE');
    // Last seen: the dead instance's last heartbeat (every second), not the moment the sweep noticed.
    const lastSeen = Date.parse(offline.lastSeenAt!);
    expect(lastSeen).toBeLessThanOrEqual(killedAt);
    expect(lastSeen).toBeGreaterThan(killedAt - 5_000);
    expect(ofB()).toHaveLength(2);
  });
});

async function until(done: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
