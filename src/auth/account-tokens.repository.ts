import { Injectable } from '@nestjs/common';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { transactWrite, type TransactPart } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { accountTokenKey } from './auth.keys';
import { AccountTokenSpent } from './auth.errors';

/** The live token of one purpose for one account (a newer one replaces it). */
export interface StoredAccountToken {
  userId: string;
  purpose: string;
  tokenId: string;
  tokenHash: string;
  /** The address the token was mailed to: it proves that address, and only while the account is at it. */
  email: string;
  issuedAt: string;
  /** Epoch seconds; the token works until then, and DynamoDB's TTL removes the item later. */
  expiresAt: number;
  usedAt?: string;
}

@Injectable()
export class AccountTokensRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** Replaces the account's token of this purpose, as a part of the caller's transaction. */
  issuePart(token: StoredAccountToken): TransactPart {
    return {
      item: {
        Put: { TableName: this.dynamo.table, Item: { ...accountTokenKey(token.userId, token.purpose), ...token } },
      },
    };
  }

  /** Stores a token with `also` (its domain event) in one transaction. */
  async issue(token: StoredAccountToken, also: TransactPart[]): Promise<void> {
    await transactWrite(this.dynamo.client, [this.issuePart(token), ...also]);
  }

  async get(userId: string, purpose: string): Promise<StoredAccountToken | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: accountTokenKey(userId, purpose), ConsistentRead: true }),
    );
    return (res.Item as StoredAccountToken | undefined) ?? null;
  }

  /**
   * Marks the token used, as a part of the transaction that makes its change: only this token,
   * once, before it expires. AccountTokenSpent when a concurrent use (or a newer token) won.
   */
  consumePart(token: StoredAccountToken, now: Date): TransactPart {
    return {
      item: {
        Update: {
          TableName: this.dynamo.table,
          Key: accountTokenKey(token.userId, token.purpose),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression:
            'tokenId = :id AND tokenHash = :hash AND attribute_not_exists(usedAt) AND expiresAt > :epoch',
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':id': token.tokenId,
            ':hash': token.tokenHash,
            ':epoch': Math.floor(now.getTime() / 1000),
          },
        },
      },
      onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new AccountTokenSpent() : undefined),
    };
  }
}
