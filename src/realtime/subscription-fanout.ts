import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PubSub, PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import type Redis from 'ioredis';
import { StoreUnavailableError } from '@app/common';
import { MetricsService } from '../observability/metrics.service';
import { RedisStore } from '../stores/redis.store';

/**
 * The fan-out of GraphQL subscriptions (and of other messages every instance must hear, such as
 * socket revocations): through Redis when configured, so a client connected to one instance hears
 * what happened on another; in-process otherwise (single instance). Not the domain events: those
 * are in src/events, durable where they must be.
 */
@Injectable()
export class SubscriptionFanout implements OnApplicationShutdown {
  private readonly logger = new Logger(SubscriptionFanout.name);
  readonly engine: PubSubEngine;
  private readonly publisher: Redis | null;

  constructor(
    @Inject(RedisStore) private readonly redis: RedisStore,
    private readonly metrics: MetricsService,
  ) {
    this.publisher = redis.url ? redis.connect('publisher') : null;
    this.engine = this.publisher
      ? new RedisPubSub({ publisher: this.publisher, subscriber: this.subscriber(redis) })
      : new PubSub();
  }

  /**
   * graphql-redis-subscriptions unsubscribes without awaiting the command: while Redis is away that
   * promise rejects with nobody listening, and an unhandled rejection stops the process. The
   * subscriber's unsubscribe commands are therefore given a handler here (logged; the channel is
   * dropped by Redis with the connection anyway).
   */
  private subscriber(redis: RedisStore): Redis {
    const client = redis.connect('subscriber');
    for (const command of ['unsubscribe', 'punsubscribe'] as const) {
      const original = client[command].bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as Record<string, unknown>)[command] = (...args: unknown[]) => {
        const sent = original(...args);
        sent.catch((err: Error) => this.logger.warn(`redis ${command} failed: ${err.message}`));
        return sent;
      };
    }
    return client;
  }

  /** Publishes, or fails with StoreUnavailableError when Redis is unreachable or late. */
  publish<T>(channel: string, payload: T): Promise<void> {
    if (!this.publisher) return this.engine.publish(channel, payload);
    return this.redis.run(this.publisher, () => this.engine.publish(channel, payload));
  }

  /**
   * Publishes a live update about a change that is already committed. Subscriptions are
   * at-most-once: while Redis is away the update is lost (logged and counted in
   * `store_unavailable_total{store="redis"}`) rather than failing a request whose change was
   * made, which a client would then retry.
   */
  async notify<T>(channel: string, payload: T): Promise<void> {
    try {
      await this.publish(channel, payload);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      this.metrics.countStoreUnavailable('redis');
      this.logger.warn(
        { channel: channel.split('.')[0], reason: err.message },
        'live update not published: redis unavailable',
      );
    }
  }

  subscribe<T>(channel: string): AsyncIterableIterator<T> {
    return this.engine.asyncIterableIterator<T>(channel) as AsyncIterableIterator<T>;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.engine instanceof RedisPubSub) await this.engine.close();
  }
}
