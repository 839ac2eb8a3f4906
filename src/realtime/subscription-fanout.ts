import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PubSub, PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { RedisStore } from '../stores/redis.store';

/**
 * The fan-out of GraphQL subscriptions (and of other messages every instance must hear, such as
 * socket revocations): through Redis when configured, so a client connected to one instance hears
 * what happened on another; in-process otherwise (single instance). Not the domain events: those
 * are in src/events, durable where they must be.
 */
@Injectable()
export class SubscriptionFanout implements OnApplicationShutdown {
  readonly engine: PubSubEngine;

  constructor(@Inject(RedisStore) redis: RedisStore) {
    this.engine = redis.url
      ? new RedisPubSub({ publisher: redis.connect('publisher'), subscriber: redis.connect('subscriber') })
      : new PubSub();
  }

  publish<T>(channel: string, payload: T): Promise<void> {
    return this.engine.publish(channel, payload);
  }

  subscribe<T>(channel: string): AsyncIterableIterator<T> {
    return this.engine.asyncIterableIterator<T>(channel) as AsyncIterableIterator<T>;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.engine instanceof RedisPubSub) await this.engine.close();
  }
}
