import { Injectable } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '@app/common';
import { RedisStore } from '../stores/redis.store';

/**
 * Fixed-window counters (rate-limiter-flexible), shared by every instance through Redis under
 * `ratelimit:<key>`. With Redis configured the counters live there only: while Redis is
 * unreachable or late, a limited operation fails with SERVICE_UNAVAILABLE instead of counting
 * afresh in this process (a new allowance per instance and per outage, for password guessing
 * exactly when the limit is weakest). Without REDIS_URL (a single instance), counted in memory.
 */
@Injectable()
export class RateLimiterService {
  /** One limiter per (limit, window): rate-limiter-flexible fixes both per limiter. */
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly redis: RedisStore) {}

  /** Counts one attempt against `key` and throws RATE_LIMITED once `limit` is exceeded. */
  async consume(key: string, limit: number, windowSeconds: number): Promise<void> {
    try {
      await this.onRedis(() => this.limiter(limit, windowSeconds).consume(key));
    } catch (res) {
      if (res instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      }
      throw res;
    }
  }

  /** Forgets the attempts counted against `key` (a successful log-in clears its failures). */
  async reset(key: string): Promise<void> {
    await Promise.all([...this.limiters.values()].map((l) => this.onRedis(() => l.delete(key))));
  }

  /** Through the Redis store's guard (fails at once while disconnected, typed errors) when configured. */
  private onRedis<T>(call: () => Promise<T>): Promise<T> {
    const client = this.redis.client;
    return client ? this.redis.run(client, call) : call();
  }

  private limiter(points: number, duration: number): RateLimiterAbstract {
    const id = `${points}/${duration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const client = this.redis.client;
      limiter = client
        ? new RateLimiterRedis({ storeClient: client, keyPrefix: 'ratelimit', points, duration })
        : new RateLimiterMemory({ keyPrefix: 'ratelimit', points, duration });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
