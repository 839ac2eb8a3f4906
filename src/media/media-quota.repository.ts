import { Injectable } from '@nestjs/common';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { transactWrite } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { quotaKey, reservationKey } from './media.keys';

export interface QuotaUsage {
  count: number;
  bytes: number;
}

/** The quota has no room for the reservation. */
export class QuotaFullError extends Error {
  constructor() {
    super('media quota full');
  }
}

/**
 * Per-user media quota in DynamoDB: a counter item (count and bytes in use) and one reservation
 * item per media, changed together in one transaction. Reserving is conditional on the room left,
 * so concurrent uploads can never pass the limits; releasing deletes the reservation on condition
 * that it exists, so a media is released once however often its removal is retried.
 */
@Injectable()
export class MediaQuotaRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  async reserve(
    userId: string,
    mediaId: string,
    bytes: number,
    limits: { count: number; bytes: number },
    now: Date,
  ): Promise<void> {
    const table = this.dynamo.table;
    await transactWrite(this.dynamo.client, [
      {
        item: {
          Update: {
            TableName: table,
            Key: quotaKey(userId),
            UpdateExpression: 'ADD mediaCount :one, mediaBytes :bytes SET updatedAt = :now',
            ConditionExpression:
              '(attribute_not_exists(mediaCount) OR mediaCount < :maxCount) AND (attribute_not_exists(mediaBytes) OR mediaBytes <= :room)',
            ExpressionAttributeValues: {
              ':one': 1,
              ':bytes': bytes,
              ':now': now.toISOString(),
              ':maxCount': limits.count,
              ':room': limits.bytes - bytes,
            },
          },
        },
        onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new QuotaFullError() : undefined),
      },
      {
        item: {
          Put: {
            TableName: table,
            Item: { ...reservationKey(userId, mediaId), bytes, createdAt: now.toISOString() },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
    ]);
  }

  /** Gives a media's reservation back; false when there was none (released before, or never made). */
  async release(userId: string, mediaId: string): Promise<boolean> {
    const table = this.dynamo.table;
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: table, Key: reservationKey(userId, mediaId), ConsistentRead: true }),
    );
    if (!res.Item) return false;
    const bytes = res.Item.bytes as number;
    try {
      await transactWrite(this.dynamo.client, [
        {
          item: {
            Delete: {
              TableName: table,
              Key: reservationKey(userId, mediaId),
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new ReleasedMeanwhile() : undefined),
        },
        {
          item: {
            Update: {
              TableName: table,
              Key: quotaKey(userId),
              UpdateExpression: 'ADD mediaCount :minusOne, mediaBytes :minusBytes',
              ExpressionAttributeValues: { ':minusOne': -1, ':minusBytes': -bytes },
            },
          },
        },
      ]);
      return true;
    } catch (err) {
      if (err instanceof ReleasedMeanwhile) return false;
      throw err;
    }
  }

  async usage(userId: string): Promise<QuotaUsage> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: quotaKey(userId), ConsistentRead: true }),
    );
    return { count: (res.Item?.mediaCount as number) ?? 0, bytes: (res.Item?.mediaBytes as number) ?? 0 };
  }
}

class ReleasedMeanwhile extends Error {}
