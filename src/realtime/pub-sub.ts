import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PubSub, PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { RedisStore } from '../stores/redis.store';

/**
 * Events for subscriptions. Through Redis when configured, so a client connected to one instance
 * hears what happened on another; in-process otherwise (single instance).
 */
@Injectable()
export class EventBus implements OnApplicationShutdown {
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
