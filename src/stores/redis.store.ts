import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { StoreUnavailableError } from '@app/common';
import { AppConfig } from '../config/app-config';
import { asStoreFailure } from './store-failures';

/** ioredis states in which a command cannot be sent now and would only wait in the offline queue. */
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

/**
 * Redis when REDIS_URL is configured (rate limits, pub/sub and presence across instances); absent
 * otherwise, and features fall back to in-process state for a single instance.
 */
@Injectable()
export class RedisStore implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisStore.name);
  readonly client: Redis | null;
  readonly url: string | undefined;
  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    this.url = config.REDIS_URL;
    this.timeoutMs = config.STORE_TIMEOUT_MS;
    this.client = this.url ? this.connect('commands') : null;
  }

  /**
   * A new connection (subscribers need their own). Every command has a deadline
   * (STORE_TIMEOUT_MS): one sent to a Redis that stopped answering fails instead of waiting for
   * ever, and one queued while reconnecting fails after a reconnection attempt or the deadline.
   * The offline queue stays on so commands sent while the connection is first established, or
   * re-subscriptions after a reconnect, are not lost.
   */
  connect(name: string): Redis {
    if (!this.url) throw new Error('REDIS_URL is not configured');
    const client = new Redis(this.url, {
      connectionName: `take-sessions:${name}`,
      commandTimeout: this.timeoutMs,
      connectTimeout: this.timeoutMs,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      lazyConnect: false,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    client.on('error', (err) => this.logger.warn(`redis ${name}: ${err.message}`));
    return client;
  }

  /**
   * Runs commands on `client`, failing at once while it is known to be disconnected, and turning
   * transport failures into StoreUnavailableError (replies about the command itself pass through).
   */
  async run<T>(client: Redis, commands: (redis: Redis) => Promise<T>): Promise<T> {
    if (DISCONNECTED.has(client.status))
      throw new StoreUnavailableError('redis', new Error(`connection ${client.status}`));
    try {
      return await commands(client);
    } catch (err) {
      throw asStoreFailure('redis', err);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
  }
}
