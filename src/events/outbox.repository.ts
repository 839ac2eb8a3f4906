import { Injectable } from '@nestjs/common';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { isConditionalCheckFailed, queryPage, type TransactPart } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import type { DomainEvent } from './domain-events';

/** Undelivered events are spread over this many partitions, swept one Query each. */
export const OUTBOX_SHARDS = 4;
const outboxPartition = (shard: number) => `OUTBOX#${shard}`;
const outboxKey = (eventId: string) => ({ PK: outboxPartition(shardOf(eventId)), SK: `EVT#${eventId}` });

export interface OutboxEntry {
  event: DomainEvent;
  /** Consumers that have not handled the event yet. */
  pending: string[];
  attempts: number;
  nextAttemptAt: string;
  status: 'PENDING' | 'FAILED';
}

/**
 * The durable outbox in DynamoDB. An entry is written in the same transaction as the change that
 * raised the event (or just before a change in another store), and deleted once every consumer
 * has handled it. Claims are leases taken with conditional writes, so one instance at a time
 * delivers an entry.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** The entry as a part of the caller's transaction. */
  part(event: DomainEvent, consumers: string[], nextAttemptAt: string): TransactPart {
    return { item: { Put: { TableName: this.dynamo.table, Item: this.item(event, consumers, nextAttemptAt) } } };
  }

  /** The entry on its own (for changes made in another store right after). */
  async put(event: DomainEvent, consumers: string[], nextAttemptAt: string): Promise<void> {
    await this.dynamo.client.send(
      new PutCommand({ TableName: this.dynamo.table, Item: this.item(event, consumers, nextAttemptAt) }),
    );
  }

  async delete(eventId: string): Promise<void> {
    await this.dynamo.client.send(new DeleteCommand({ TableName: this.dynamo.table, Key: outboxKey(eventId) }));
  }

  /** Ids of pending entries of a shard due for an attempt. */
  async due(shard: number, now: string, limit: number): Promise<string[]> {
    const page = await queryPage<{ event: DomainEvent }>(this.dynamo.client, {
      tableName: this.dynamo.table,
      partitionKey: { name: 'PK', value: outboxPartition(shard) },
      sortKey: { name: 'SK', beginsWith: 'EVT#' },
      filter: {
        expression: '#status = :pending AND nextAttemptAt <= :now',
        names: { '#status': 'status' },
        values: { ':pending': 'PENDING', ':now': now },
      },
      limit,
      consistentRead: true,
    });
    return page.items.map((i) => i.event.id);
  }

  /**
   * Leases an entry to `owner`; null when it is gone (delivered), failed, leased by another
   * instance, or not due (unless `ignoreSchedule`, for the first attempt right after the change).
   */
  async claim(
    eventId: string,
    owner: string,
    now: string,
    leaseUntil: string,
    ignoreSchedule: boolean,
  ): Promise<OutboxEntry | null> {
    try {
      const res = await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: outboxKey(eventId),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :lease',
          ConditionExpression:
            'attribute_exists(PK) AND #status = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)' +
            (ignoreSchedule ? '' : ' AND nextAttemptAt <= :now'),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':owner': owner, ':lease': leaseUntil, ':now': now, ':pending': 'PENDING' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const a = res.Attributes!;
      return {
        event: a.event as DomainEvent,
        pending: (a.pending as string[] | undefined) ?? [],
        attempts: (a.attempts as number | undefined) ?? 0,
        nextAttemptAt: a.nextAttemptAt as string,
        status: a.status as OutboxEntry['status'],
      };
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  /** Every consumer handled it: the entry goes (only by the lease holder). */
  async complete(eventId: string, owner: string): Promise<void> {
    try {
      await this.dynamo.client.send(
        new DeleteCommand({
          TableName: this.dynamo.table,
          Key: outboxKey(eventId),
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /** Some consumers remain: try again at `nextAttemptAt`, or keep the entry as FAILED (dead letter). */
  async release(
    eventId: string,
    owner: string,
    next: { pending: string[]; attempts: number; nextAttemptAt: string; lastError?: string; failed: boolean },
  ): Promise<void> {
    try {
      await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: outboxKey(eventId),
          UpdateExpression:
            'SET pending = :pending, attempts = :attempts, nextAttemptAt = :next, lastError = :error, #status = :status REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': next.pending,
            ':attempts': next.attempts,
            ':next': next.nextAttemptAt,
            ':error': next.lastError?.slice(0, 1000) ?? null,
            ':status': next.failed ? 'FAILED' : 'PENDING',
            ':owner': owner,
          },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  private item(event: DomainEvent, consumers: string[], nextAttemptAt: string) {
    return {
      ...outboxKey(event.id),
      event,
      pending: consumers,
      attempts: 0,
      nextAttemptAt,
      status: 'PENDING',
    };
  }
}

function shardOf(eventId: string): number {
  return createHash('sha256').update(eventId).digest()[0] % OUTBOX_SHARDS;
}
