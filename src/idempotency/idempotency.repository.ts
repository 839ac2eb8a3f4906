import { Injectable } from '@nestjs/common';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, type TransactPart } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { idempotencyKey } from './idempotency.keys';

/** What is remembered of the first request with a key. */
export interface IdempotencyRecord {
  operation: string;
  fingerprint: string;
  /** COMPLETED records carry the operation's result; PENDING ones are in progress (standalone mode). */
  state: 'PENDING' | 'COMPLETED';
  result?: unknown;
}

/** The key was taken by a concurrent request (its record was written first). */
export class IdempotencyKeyTakenError extends Error {}

/** Idempotency records (`IDEMP#caller#key`), expiring with DynamoDB's TTL (`expiresAt`). */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  async get(caller: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: idempotencyKey(caller, key), ConsistentRead: true }),
    );
    // TTL deletes lazily: an expired record is as good as gone.
    if (!res.Item || (res.Item.expiresAt as number) * 1000 < now.getTime()) return null;
    return {
      operation: res.Item.operation as string,
      fingerprint: res.Item.fingerprint as string,
      state: (res.Item.state as IdempotencyRecord['state'] | undefined) ?? 'COMPLETED',
      result: res.Item.result,
    };
  }

  /** The COMPLETED record as part of the change's own transaction. */
  part(caller: string, key: string, record: IdempotencyRecord, expiresAt: number, now: Date): TransactPart {
    return {
      item: { Put: this.put(caller, key, record, expiresAt, now) },
      onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new IdempotencyKeyTakenError() : undefined),
    };
  }

  /** Standalone mode: claims the key with a PENDING record; false when another request holds it. */
  async claim(caller: string, key: string, record: IdempotencyRecord, expiresAt: number, now: Date): Promise<boolean> {
    try {
      await this.dynamo.client.send(new PutCommand(this.put(caller, key, record, expiresAt, now)));
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** Standalone mode: stores the result of a claimed key. */
  async complete(caller: string, key: string, result: unknown): Promise<void> {
    await this.dynamo.client.send(
      new UpdateCommand({
        TableName: this.dynamo.table,
        Key: idempotencyKey(caller, key),
        UpdateExpression: 'SET #state = :completed, #result = :result',
        ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED', ':result': result },
      }),
    );
  }

  async delete(caller: string, key: string): Promise<void> {
    await this.dynamo.client.send(
      new DeleteCommand({ TableName: this.dynamo.table, Key: idempotencyKey(caller, key) }),
    );
  }

  private put(caller: string, key: string, record: IdempotencyRecord, expiresAt: number, now: Date) {
    return {
      TableName: this.dynamo.table,
      Item: { ...idempotencyKey(caller, key), ...record, expiresAt },
      // An expired record (not yet removed by TTL) may be replaced.
      ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
    };
  }
}
