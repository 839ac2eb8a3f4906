import type Redis from 'ioredis';
import { RedisStore } from '../../stores/redis.store';
import { PresenceStore } from './presence.store';
import { PRESENCE_KEEP_SECONDS, presenceKeys } from './presence.keys';
import { PRESENCE_SCRIPT } from './presence-script';
import { PresenceOp, PresenceState, PresenceStatus, PresenceTimings, PresenceTransition } from './presence.types';

type PresenceRedis = Redis & {
  presenceApply(...args: Array<string | number>): Promise<[string, string, string]>;
};

/** Presence in Redis, shared by every instance: one script call per change, pipelined reads. */
export class RedisPresenceRepository extends PresenceStore {
  private readonly client: PresenceRedis;
  private readonly keys: ReturnType<typeof presenceKeys>;

  constructor(
    private readonly redis: RedisStore,
    private readonly timings: PresenceTimings,
    namespace: string,
  ) {
    super();
    this.keys = presenceKeys(namespace);
    this.client = redis.client as PresenceRedis;
    // ioredis sends it with EVALSHA and falls back to EVAL once after a restart of Redis.
    this.client.defineCommand('presenceApply', { numberOfKeys: 3, lua: PRESENCE_SCRIPT });
  }

  async apply(userId: string, op: PresenceOp, socketKeys: readonly string[], now: Date): Promise<PresenceTransition> {
    const { ttlMs, awayMs, graceMs } = this.timings;
    const [previous, status, seenAt] = await this.redis.run(this.client, (c) =>
      (c as PresenceRedis).presenceApply(
        this.keys.sockets(userId),
        this.keys.state(userId),
        this.keys.due,
        op,
        now.getTime(),
        ttlMs,
        awayMs,
        graceMs,
        userId,
        PRESENCE_KEEP_SECONDS,
        ...socketKeys,
      ),
    );
    return {
      previous: previous as PresenceStatus,
      current: { status: status as PresenceStatus, lastSeenAt: seenAt ? new Date(Number(seenAt)) : null },
    };
  }

  async read(userIds: readonly string[]): Promise<PresenceState[]> {
    if (userIds.length === 0) return [];
    const rows = await this.redis.run(this.client, async (c) => {
      const pipeline = c.pipeline();
      for (const id of userIds) pipeline.hmget(this.keys.state(id), 'status', 'seenAt');
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, value]) => {
        if (err) throw err;
        return value as [string | null, string | null];
      });
    });
    return rows.map(([status, seenAt]) => ({
      status: (status as PresenceStatus | null) ?? PresenceStatus.OFFLINE,
      lastSeenAt: seenAt ? new Date(Number(seenAt)) : null,
    }));
  }

  due(now: Date, limit: number): Promise<string[]> {
    return this.redis.run(this.client, (c) => c.zrangebyscore(this.keys.due, '-inf', now.getTime(), 'LIMIT', 0, limit));
  }
}
