import { Injectable } from '@nestjs/common';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isTransactionCanceled } from '@app/dynamo';
import { DynamoStore } from '../../stores/dynamo.store';

import { feedOwnerKey as ownerKey, feedTokenKey as tokenKey } from '../bookings.keys';

/** The user's token changed (or was created) meanwhile: `previous` is no longer current. */
export class FeedTokenConflict extends Error {}

/** Secret feed tokens: CALFEED#token → user, and the user's current token beside their account. */
@Injectable()
export class CalendarFeedRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  async currentToken(userId: string): Promise<string | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: ownerKey(userId), ConsistentRead: true }),
    );
    return (res.Item?.token as string | undefined) ?? null;
  }

  async userOf(token: string): Promise<string | null> {
    const res = await this.dynamo.client.send(new GetCommand({ TableName: this.dynamo.table, Key: tokenKey(token) }));
    return (res.Item?.userId as string | undefined) ?? null;
  }

  /** Installs `next` and retires `previous` in one transaction (the old URL stops working at once). */
  async replace(userId: string, previous: string | null, next: string): Promise<void> {
    const table = this.dynamo.table;
    await this.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { ...tokenKey(next), userId },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...ownerKey(userId), token: next },
              ConditionExpression: previous ? '#token = :previous' : 'attribute_not_exists(PK)',
              ...(previous
                ? {
                    ExpressionAttributeNames: { '#token': 'token' },
                    ExpressionAttributeValues: { ':previous': previous },
                  }
                : {}),
            },
          },
          ...(previous ? [{ Delete: { TableName: table, Key: tokenKey(previous) } }] : []),
        ],
      }),
    );
  }

  private async send(command: TransactWriteCommand): Promise<void> {
    try {
      await this.dynamo.client.send(command);
    } catch (err) {
      throw isTransactionCanceled(err) ? new FeedTokenConflict() : err;
    }
  }
}
