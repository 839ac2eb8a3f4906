import { ulid } from 'ulid';
import type { AppConfig } from '../../config/app-config';
import { RedisStore } from '../../stores/redis.store';
import { MemoryPresenceRepository } from './presence-memory.repository';
import { RedisPresenceRepository } from './presence-redis.repository';
import type { PresenceStore } from './presence.store';
import { PresenceStatus } from './presence.types';

const { ONLINE, AWAY, OFFLINE } = PresenceStatus;
const timings = { ttlMs: 30_000, awayMs: 300_000, graceMs: 10_000 };
const T0 = Date.parse('2027-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

/**
 * The presence state machine, run against both stores: the in-process one (presence-rules.ts) and
 * the Redis script (real redis-server from the test setup). They must agree step by step.
 */
describe.each([
  ['in process', () => ({ store: new MemoryPresenceRepository(timings), close: async () => {} })],
  [
    'Redis',
    () => {
      const redis = new RedisStore({ REDIS_URL: process.env.REDIS_URL, STORE_TIMEOUT_MS: 5000 } as AppConfig);
      return {
        store: new RedisPresenceRepository(redis, timings, `spec-${ulid()}`),
        close: () => redis.onApplicationShutdown(),
      };
    },
  ],
])('presence store (%s)', (_name, make) => {
  let store: PresenceStore;
  let close: () => Promise<void>;
  let user: string;
  beforeAll(() => ({ store, close } = make()));
  afterAll(() => close());
  beforeEach(() => (user = ulid()));

  const status = async () => (await store.read([user]))[0];

  it('is OFFLINE and never seen before the first socket', async () => {
    expect(await status()).toEqual({ status: OFFLINE, lastSeenAt: null });
  });

  it('goes ONLINE with a socket, reporting the change once', async () => {
    const first = await store.apply(user, 'connect', ['i1:1'], at(0));
    expect(first).toEqual({ previous: OFFLINE, current: { status: ONLINE, lastSeenAt: at(0) } });
    const second = await store.apply(user, 'connect', ['i2:1'], at(1000));
    expect(second.previous).toBe(ONLINE);
    expect(second.current.status).toBe(ONLINE);
  });

  it('stays ONLINE through the grace period after the last socket closes (a reload does not flap)', async () => {
    await store.apply(user, 'connect', ['i1:1'], at(0));
    const closed = await store.apply(user, 'disconnect', ['i1:1'], at(5_000));
    expect(closed).toEqual({ previous: ONLINE, current: { status: ONLINE, lastSeenAt: at(0) } });
    // Reconnect inside the grace period: no change at all.
    expect((await store.apply(user, 'connect', ['i1:2'], at(9_000))).previous).toBe(ONLINE);
    await store.apply(user, 'disconnect', ['i1:2'], at(10_000));
    expect(await store.due(at(19_999), 1000)).not.toContain(user);
    expect(await store.due(at(20_000), 1000)).toContain(user);
    const offline = await store.apply(user, 'evaluate', [], at(20_000));
    expect(offline).toEqual({ previous: ONLINE, current: { status: OFFLINE, lastSeenAt: at(10_000) } });
    expect(await status()).toEqual({ status: OFFLINE, lastSeenAt: at(10_000) });
    expect(await store.due(at(99_999_999), 100_000)).not.toContain(user);
  });

  it('goes OFFLINE when the leases lapse (the instance died), last seen at its last heartbeat', async () => {
    await store.apply(user, 'connect', ['dead:1', 'dead:2'], at(0));
    await store.apply(user, 'heartbeat', ['dead:1', 'dead:2'], at(10_000));
    // Nothing renews them after 10 s: they lapse at 40 s, and the grace counts from the last heartbeat.
    expect(await store.due(at(39_999), 1000)).not.toContain(user);
    expect(await store.due(at(40_000), 1000)).toContain(user);
    const lapsed = await store.apply(user, 'evaluate', [], at(40_000));
    expect(lapsed).toEqual({ previous: ONLINE, current: { status: OFFLINE, lastSeenAt: at(10_000) } });
  });

  it('keeps a user ONLINE while another instance renews their socket', async () => {
    await store.apply(user, 'connect', ['dead:1'], at(0));
    await store.apply(user, 'connect', ['alive:1'], at(1_000));
    await store.apply(user, 'heartbeat', ['alive:1'], at(25_000));
    const afterLapse = await store.apply(user, 'evaluate', [], at(31_000));
    expect(afterLapse.current.status).toBe(ONLINE);
  });

  it('goes AWAY after the idle time and ONLINE again on activity', async () => {
    await store.apply(user, 'connect', ['i1:1'], at(0));
    for (let t = 10_000; t < 300_000; t += 10_000) await store.apply(user, 'heartbeat', ['i1:1'], at(t));
    expect(await store.due(at(300_000), 1000)).toContain(user);
    expect((await store.apply(user, 'evaluate', [], at(300_000))).current.status).toBe(AWAY);
    const back = await store.apply(user, 'active', [], at(301_000));
    expect(back).toEqual({ previous: AWAY, current: { status: ONLINE, lastSeenAt: at(301_000) } });
  });

  it('ignores activity of a user with no socket (it does not bring them online)', async () => {
    const change = await store.apply(user, 'active', [], at(0));
    expect(change).toEqual({ previous: OFFLINE, current: { status: OFFLINE, lastSeenAt: null } });
  });

  it('reads many users at once, in order', async () => {
    const other = ulid();
    await store.apply(other, 'connect', ['i1:9'], at(0));
    expect((await store.read([user, other])).map((p) => p.status)).toEqual([OFFLINE, ONLINE]);
  });
});
