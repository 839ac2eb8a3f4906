import { Injectable } from '@nestjs/common';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type DataLoader from 'dataloader';
import { StoreUnavailableError } from '@app/common';
import { batchWriteAll, cancellationReasons, isTransactionCanceled, ItemKey, queryAll } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { accountKey, revokedFamilyKey, SESSION_SORT_KEY_PREFIX, sessionKey, userPartition } from './auth.keys';
import { SessionRotationConflict } from './auth.errors';

/** A refresh session (one per device login); rotated sessions stay until expiry to detect reuse. */
export interface RefreshSession {
  userId: string;
  sessionId: string;
  familyId: string;
  tokenHash: string;
  status: 'ACTIVE' | 'ROTATED';
  createdAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the item some time after this. */
  expiresAt: number;
  /** The user's tokenVersion when the login began; a later bump (log out everywhere, password change, suspension) voids it. */
  tokenVersion?: number;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** Through the request's loader, so the guard's session read joins the user read in one BatchGetItem. */
  async load(
    loader: DataLoader<ItemKey, Record<string, unknown> | null, string>,
    userId: string,
    sessionId: string,
  ): Promise<RefreshSession | null> {
    return (await loader.load(sessionKey(userId, sessionId))) as RefreshSession | null;
  }

  async create(session: RefreshSession): Promise<void> {
    await this.dynamo.client.send(
      new PutCommand({
        TableName: this.dynamo.table,
        Item: { ...sessionKey(session.userId, session.sessionId), ...session },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async get(userId: string, sessionId: string): Promise<RefreshSession | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: sessionKey(userId, sessionId), ConsistentRead: true }),
    );
    return (res.Item as RefreshSession | undefined) ?? null;
  }

  /**
   * Marks `current` ROTATED and creates `next` in one transaction, only if `current` is still
   * ACTIVE with the same hash (of two concurrent uses of one token exactly one succeeds), the
   * user is still ACTIVE at `tokenVersion` (no revocation happened since it was read), and the
   * family was not logged out meanwhile.
   */
  async rotate(current: RefreshSession, next: RefreshSession, tokenVersion: number): Promise<void> {
    try {
      await this.dynamo.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.dynamo.table,
                Key: accountKey(current.userId),
                ConditionExpression:
                  '#status = :active AND (tokenVersion = :v OR (attribute_not_exists(tokenVersion) AND :v = :zero))',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':active': 'ACTIVE', ':v': tokenVersion, ':zero': 0 },
              },
            },
            {
              ConditionCheck: {
                TableName: this.dynamo.table,
                Key: revokedFamilyKey(current.userId, current.familyId),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.dynamo.table,
                Key: sessionKey(current.userId, current.sessionId),
                UpdateExpression: 'SET #status = :rotated, rotatedTo = :next',
                ConditionExpression: '#status = :active AND tokenHash = :hash',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':rotated': 'ROTATED',
                  ':active': 'ACTIVE',
                  ':hash': current.tokenHash,
                  ':next': next.sessionId,
                },
              },
            },
            {
              Put: {
                TableName: this.dynamo.table,
                Item: { ...sessionKey(next.userId, next.sessionId), ...next },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    } catch (err) {
      // Only a failed condition means the token was spent or revoked meanwhile (and ends the
      // login); a transaction cancelled for contention or throttling says nothing about it.
      if (cancellationReasons(err).includes('ConditionalCheckFailed')) throw new SessionRotationConflict();
      if (isTransactionCanceled(err)) throw new StoreUnavailableError('dynamodb', err);
      throw err;
    }
  }

  /** Remembers that a login family ended (until its sessions would have expired anyway). */
  async markFamilyRevoked(userId: string, familyId: string, revokedAt: Date, expiresAt: number): Promise<void> {
    await this.dynamo.client.send(
      new PutCommand({
        TableName: this.dynamo.table,
        Item: { ...revokedFamilyKey(userId, familyId), revokedAt: revokedAt.toISOString(), expiresAt },
      }),
    );
  }

  async listForUser(userId: string): Promise<RefreshSession[]> {
    return queryAll<RefreshSession>(this.dynamo.client, {
      tableName: this.dynamo.table,
      partitionKey: { name: 'PK', value: userPartition(userId) },
      sortKey: { name: 'SK', beginsWith: SESSION_SORT_KEY_PREFIX },
      consistentRead: true,
    });
  }

  async deleteMany(sessions: Array<Pick<RefreshSession, 'userId' | 'sessionId'>>): Promise<void> {
    await batchWriteAll(
      this.dynamo.client,
      this.dynamo.table,
      sessions.map((s) => ({ DeleteRequest: { Key: sessionKey(s.userId, s.sessionId) } })),
    );
  }
}
