import { Injectable, Logger } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '@app/common';
import { AppConfig } from '../config/app-config';
import { RedisStore } from '../stores/redis.store';

/** After Redis failed a call, count in process this long before trying it again. */
const REDIS_PAUSE_MS = 5_000;

/**
 * Fixed-window counters (rate-limiter-flexible), shared by every instance through Redis under
 * `ratelimit:<table>:<key>`: the deployment's table name keeps two deployments on one Redis
 * (staging beside production, parallel test servers) from counting each other's attempts. While Redis is unreachable or late (STORE_TIMEOUT_MS), an in-process limiter
 * with the same limits counts instead: log-in keeps working through a Redis outage and stays
 * limited, per instance (see docs/decisions/0007). After a failure Redis is left alone for a few
 * seconds, so one outage costs one deadline, not one per call. Without REDIS_URL (a single
 * instance) the counters are in memory.
 */
@Injectable()
export class RateLimiterService {
  private readonly logger = new Logger(RateLimiterService.name);
  /** One pair per (limit, window): rate-limiter-flexible fixes both per limiter. */
  private readonly limiters = new Map<string, { shared?: RateLimiterRedis; local: RateLimiterMemory }>();
  private redisPausedUntil = 0;

  private readonly keyPrefix: string;

  constructor(
    private readonly redis: RedisStore,
    config: AppConfig,
  ) {
    this.keyPrefix = `ratelimit:${config.DYNAMODB_TABLE}`;
  }

  /** Counts one attempt against `key` and throws RATE_LIMITED once `limit` is exceeded. */
  async consume(key: string, limit: number, windowSeconds: number): Promise<void> {
    try {
      await this.withFallback(this.limiter(limit, windowSeconds), (l) => l.consume(key));
    } catch (res) {
      if (res instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      }
      throw res;
    }
  }

  /**
   * Forgets the attempts counted against `key` (a successful log-in clears its failures). Best
   * effort: while Redis is away the count simply runs out with its window.
   */
  async reset(key: string): Promise<void> {
    await Promise.all(
      [...this.limiters.values()].map((pair) => this.withFallback(pair, (l) => l.delete(key)).catch(() => false)),
    );
  }

  /** Runs on the shared limiter, or on the local one while Redis is away (a RATE_LIMITED answer is not a failure). */
  private async withFallback<T>(
    pair: { shared?: RateLimiterRedis; local: RateLimiterMemory },
    call: (limiter: RateLimiterAbstract) => Promise<T>,
  ): Promise<T> {
    if (!pair.shared || performance.now() < this.redisPausedUntil) return call(pair.local);
    try {
      return await call(pair.shared);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw err;
      this.redisPausedUntil = performance.now() + REDIS_PAUSE_MS;
      this.logger.warn(`rate limits counted in process for ${REDIS_PAUSE_MS} ms: ${(err as Error).message}`);
      return call(pair.local);
    }
  }

  private limiter(points: number, duration: number) {
    const id = `${points}/${duration}`;
    let pair = this.limiters.get(id);
    if (!pair) {
      const client = this.redis.client;
      pair = {
        local: new RateLimiterMemory({ keyPrefix: this.keyPrefix, points, duration }),
        shared: client
          ? new RateLimiterRedis({
              storeClient: client,
              keyPrefix: this.keyPrefix,
              points,
              duration,
              rejectIfRedisNotReady: true,
            })
          : undefined,
      };
      this.limiters.set(id, pair);
    }
    return pair;
  }
}
