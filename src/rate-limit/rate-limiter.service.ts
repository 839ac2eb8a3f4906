import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { RateLimitedError } from '@app/common';
import { RedisStore } from '../stores/redis.store';

export interface WindowState {
  count: number;
  retryAfterSeconds: number;
}

/** INCR and set the window's expiry on the first hit, atomically; returns the count and ms left. */
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {n, ttl}`;

/**
 * Fixed-window counters shared by every instance through Redis (`ratelimit:<key>`); without
 * Redis, or while it is unreachable, counted in this process so limits still apply.
 */
@Injectable()
export class RateLimiterService implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiterService.name);
  private readonly local = new Map<string, { count: number; resetAt: number }>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  constructor(private readonly redis: RedisStore) {}

  /** Counts one attempt against `key` and throws RATE_LIMITED once `limit` is exceeded. */
  async consume(key: string, limit: number, windowSeconds: number): Promise<void> {
    const state = await this.hit(key, windowSeconds);
    if (state.count > limit) throw new RateLimitedError(state.retryAfterSeconds);
  }

  private async hit(key: string, windowSeconds: number): Promise<WindowState> {
    const redis = this.redis.client;
    if (redis && redis.status === 'ready') {
      try {
        const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, `ratelimit:${key}`, windowSeconds * 1000)) as [
          number,
          number,
        ];
        return { count, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
      } catch (err) {
        this.logger.warn(`rate limiter falling back to in-process counters: ${(err as Error).message}`);
      }
    }
    const now = Date.now();
    let entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.local.set(key, entry);
    }
    entry.count++;
    return { count: entry.count, retryAfterSeconds: Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) };
  }

  async reset(key: string): Promise<void> {
    this.local.delete(key);
    const redis = this.redis.client;
    if (redis && redis.status === 'ready') await redis.del(`ratelimit:${key}`).catch(() => undefined);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.local) if (entry.resetAt <= now) this.local.delete(key);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}
