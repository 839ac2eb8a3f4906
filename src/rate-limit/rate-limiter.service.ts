import { Injectable } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '@app/common';
import { RedisStore } from '../stores/redis.store';

/**
 * Fixed-window counters (rate-limiter-flexible), shared by every instance through Redis under
 * `ratelimit:<key>`. Without Redis, or while it is unreachable, an in-process insurance limiter
 * counts instead, so limits still apply (per instance) and a Redis outage never blocks log-ins.
 */
@Injectable()
export class RateLimiterService {
  /** One limiter per (limit, window): rate-limiter-flexible fixes both per limiter. */
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly redis: RedisStore) {}

  /** Counts one attempt against `key` and throws RATE_LIMITED once `limit` is exceeded. */
  async consume(key: string, limit: number, windowSeconds: number): Promise<void> {
    try {
      await this.limiter(limit, windowSeconds).consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      }
      throw res;
    }
  }

  /** Forgets the attempts counted against `key` (a successful log-in clears its failures). */
  async reset(key: string): Promise<void> {
    await Promise.all([...this.limiters.values()].map((l) => l.delete(key).catch(() => false)));
  }

  private limiter(points: number, duration: number): RateLimiterAbstract {
    const id = `${points}/${duration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const memory = new RateLimiterMemory({ keyPrefix: 'ratelimit', points, duration });
      const client = this.redis.client;
      limiter = client
        ? new RateLimiterRedis({
            storeClient: client,
            keyPrefix: 'ratelimit',
            points,
            duration,
            // Do not queue behind a reconnecting client: count in process at once instead.
            rejectIfRedisNotReady: true,
            insuranceLimiter: memory,
          })
        : memory;
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
