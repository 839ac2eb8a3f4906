import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

/**
 * Redis when REDIS_URL is configured (pub/sub and presence across instances); absent otherwise,
 * and features fall back to in-process state for a single instance.
 */
@Injectable()
export class RedisStore implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisStore.name);
  readonly client: Redis | null;
  readonly url: string | undefined;

  constructor(config: AppConfig) {
    this.url = config.REDIS_URL;
    this.client = this.url ? this.connect('commands') : null;
  }

  /** A new connection (subscribers need their own). Fails fast while Redis is away instead of queueing forever. */
  connect(name: string): Redis {
    if (!this.url) throw new Error('REDIS_URL is not configured');
    const client = new Redis(this.url, {
      connectionName: `take-sessions:${name}`,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      lazyConnect: false,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    client.on('error', (err) => this.logger.warn(`redis ${name}: ${err.message}`));
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}
