import { Injectable } from '@nestjs/common';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type DataLoader from 'dataloader';
import type { Page } from '@app/common';
import {
  cancellationReasons,
  isConditionalCheckFailed,
  isTransactionCanceled,
  ItemKey,
  queryCursorPage,
  type TransactPart,
  transactWrite,
} from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { emailKey, userKey, USERS_INDEX_PARTITION, usersIndexSortKey } from './user.keys';
import { Locale, Role, User, UserStatus } from './user.types';
import { EmailTakenError, UserMissingError } from './users.errors';

type Item = Record<string, unknown>;

/** What a deleted account is called wherever it still appears (a past lesson, a review). */
export const DELETED_DISPLAY_NAME = 'Deleted user';

export interface StoredCredentials {
  user: User;
  passwordHash: string;
}

/** What other features may change on an account item (the e-mail address has its own operation). */
export type StoredChanges = Partial<
  Pick<User, 'displayName' | 'timeZone' | 'locale' | 'status' | 'roles' | 'emailVerified'>
> & { passwordHash?: string };

export interface UserListFilter {
  role?: Role;
  status?: UserStatus;
  /** Case-insensitive prefix of the normalised e-mail address or substring of the display name. */
  search?: string;
}

function toUser(item: Item): User {
  return {
    id: item.id as string,
    email: (item.email as string | undefined) ?? '',
    displayName: item.displayName as string,
    roles: item.roles as Role[],
    timeZone: item.timeZone as string,
    locale: (item.locale as Locale | undefined) ?? Locale.EN,
    status: item.status as UserStatus,
    // Accounts created before e-mail verification existed have no flag: they keep booking.
    emailVerified: (item.emailVerified as boolean | undefined) ?? true,
    tokenVersion: (item.tokenVersion as number) ?? 0,
    avatarMediaId: (item.avatarMediaId as string | undefined) ?? null,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/** Users and their e-mail uniqueness items in DynamoDB. The only code that touches those items. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** User and e-mail item in one transaction: either both exist afterwards or neither does. */
  async create(user: User, passwordHash: string, also: TransactPart[] = []): Promise<void> {
    const normalised = user.email;
    try {
      await this.dynamo.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.dynamo.table,
                Item: {
                  ...userKey(user.id),
                  ...user,
                  displayNameLower: user.displayName.toLowerCase(),
                  passwordHash,
                  GSI1PK: USERS_INDEX_PARTITION,
                  GSI1SK: usersIndexSortKey(user.createdAt, user.id),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: this.dynamo.table,
                Item: { ...emailKey(normalised), userId: user.id, createdAt: user.createdAt },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...also.map((part) => part.item),
          ],
        }),
      );
    } catch (err) {
      if (isTransactionCanceled(err) && cancellationReasons(err)[1] === 'ConditionalCheckFailed')
        throw new EmailTakenError();
      throw err;
    }
  }

  /** Through the request's loader, so every user read in one request becomes one BatchGetItem. */
  async load(loader: DataLoader<ItemKey, Item | null, string>, id: string): Promise<User | null> {
    const item = await loader.load(userKey(id));
    return item ? toUser(item) : null;
  }

  async loadMany(
    loader: DataLoader<ItemKey, Item | null, string>,
    ids: readonly string[],
  ): Promise<Array<User | null>> {
    // Not loader.loadMany: it answers a failed read with an Error in the list, too easily taken
    // for "no such user". One batch all the same (the loads are queued in the same tick).
    const items = await Promise.all(ids.map((id) => loader.load(userKey(id))));
    return items.map((item) => (item ? toUser(item) : null));
  }

  async findCredentialsByEmail(normalisedEmail: string): Promise<StoredCredentials | null> {
    const pointer = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: emailKey(normalisedEmail) }),
    );
    if (!pointer.Item) return null;
    return this.findCredentialsById(pointer.Item.userId as string);
  }

  async findCredentialsById(id: string): Promise<StoredCredentials | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: userKey(id), ConsistentRead: true }),
    );
    return res.Item ? { user: toUser(res.Item), passwordHash: res.Item.passwordHash as string } : null;
  }

  /**
   * Applies `changes` to an existing user; returns the updated user. `also` are parts of other
   * owners (domain events) written in the same transaction.
   */
  async update(
    id: string,
    changes: StoredChanges,
    opts: { now: Date; bumpTokenVersion?: boolean; also?: TransactPart[]; ifEmail?: string },
  ): Promise<User> {
    const now = opts.now.toISOString();
    const sets: string[] = ['updatedAt = :now'];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':now': now };
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    if (changes.displayName !== undefined) entries.push(['displayNameLower', changes.displayName.toLowerCase()]);
    for (const [field, value] of entries) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    let update = `SET ${sets.join(', ')}`;
    if (opts.bumpTokenVersion) {
      update += ' ADD tokenVersion :one';
      values[':one'] = 1;
    }
    let condition = 'attribute_exists(PK)';
    if (opts.ifEmail !== undefined) {
      // The change was asked for this address (a token mailed to it): not if the address changed since.
      condition += ' AND #email = :ifEmail';
      names['#email'] = 'email';
      values[':ifEmail'] = opts.ifEmail;
    }
    const missing = (reason: string) => (reason === 'ConditionalCheckFailed' ? new UserMissingError() : undefined);
    if (opts.also?.length) {
      const item = {
        TableName: this.dynamo.table,
        Key: userKey(id),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
        ExpressionAttributeValues: values,
      };
      await transactWrite(this.dynamo.client, [{ item: { Update: item }, onFailed: missing }, ...opts.also]);
      // A transaction returns no attributes: read the result back.
      const written = await this.findCredentialsById(id);
      if (!written) throw new UserMissingError();
      return written.user;
    }
    try {
      const res = await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: userKey(id),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toUser(res.Attributes!);
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new UserMissingError();
      throw err;
    }
  }

  /**
   * Sets (or with null removes) the avatar; with `onlyIf`, only while the avatar is that media
   * (a media being deleted). Returns the user, or null when it is missing or the condition failed.
   */
  async setAvatar(id: string, mediaId: string | null, now: Date, onlyIf?: string): Promise<User | null> {
    try {
      const res = await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: userKey(id),
          UpdateExpression: mediaId
            ? 'SET avatarMediaId = :media, updatedAt = :now'
            : 'SET updatedAt = :now REMOVE avatarMediaId',
          ConditionExpression: `attribute_exists(PK) AND #status <> :deleted${onlyIf ? ' AND avatarMediaId = :only' : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':deleted': UserStatus.DELETED,
            ...(mediaId ? { ':media': mediaId } : {}),
            ...(onlyIf ? { ':only': onlyIf } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toUser(res.Attributes!);
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  /**
   * Deletes an account in one transaction with `also` (its domain event): the e-mail item goes
   * (the address is free again), the user item stays as a tombstone for what refers to it
   * (lessons, reviews) with status DELETED and no e-mail, password, avatar or name, and every
   * access token is revoked. UserMissingError when it is missing or already deleted.
   */
  async markDeleted(user: User, now: Date, also: TransactPart[]): Promise<void> {
    const table = this.dynamo.table;
    const missing = (reason: string) => (reason === 'ConditionalCheckFailed' ? new UserMissingError() : undefined);
    await transactWrite(this.dynamo.client, [
      {
        item: {
          Update: {
            TableName: table,
            Key: userKey(user.id),
            UpdateExpression:
              'SET #status = :deleted, displayName = :name, displayNameLower = :nameLower, updatedAt = :now, deletedAt = :now ADD tokenVersion :one REMOVE email, passwordHash, avatarMediaId',
            ConditionExpression: 'attribute_exists(PK) AND #status <> :deleted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':deleted': UserStatus.DELETED,
              ':name': DELETED_DISPLAY_NAME,
              ':nameLower': DELETED_DISPLAY_NAME.toLowerCase(),
              ':now': now.toISOString(),
              ':one': 1,
            },
          },
        },
        onFailed: missing,
      },
      ...(user.email
        ? [
            {
              item: {
                Delete: {
                  TableName: table,
                  Key: emailKey(user.email),
                  ConditionExpression: 'attribute_not_exists(PK) OR userId = :id',
                  ExpressionAttributeValues: { ':id': user.id },
                },
              },
            },
          ]
        : []),
      ...also,
    ]);
  }

  /**
   * Moves the account to another address: the user, the old address item and the new one (taken
   * only if free) in one transaction, with `also` (tokens, domain events). The new address is not
   * verified yet. EmailTakenError when another account holds it, UserMissingError when the
   * account is gone or no longer at `from`.
   */
  async changeEmail(id: string, from: string, to: string, opts: { now: Date; also?: TransactPart[] }): Promise<User> {
    const now = opts.now.toISOString();
    await transactWrite(this.dynamo.client, [
      {
        item: {
          Update: {
            TableName: this.dynamo.table,
            Key: userKey(id),
            UpdateExpression: 'SET #email = :to, emailVerified = :false, updatedAt = :now',
            ConditionExpression: 'attribute_exists(PK) AND #email = :from',
            ExpressionAttributeNames: { '#email': 'email' },
            ExpressionAttributeValues: { ':to': to, ':from': from, ':false': false, ':now': now },
          },
        },
        onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new UserMissingError() : undefined),
      },
      {
        item: {
          Put: {
            TableName: this.dynamo.table,
            Item: { ...emailKey(to), userId: id, createdAt: now },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new EmailTakenError() : undefined),
      },
      {
        item: {
          Delete: {
            TableName: this.dynamo.table,
            Key: emailKey(from),
            ConditionExpression: 'userId = :id',
            ExpressionAttributeValues: { ':id': id },
          },
        },
        onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new UserMissingError() : undefined),
      },
      ...(opts.also ?? []),
    ]);
    const written = await this.findCredentialsById(id);
    if (!written) throw new UserMissingError();
    return written.user;
  }

  /** Newest first; filters apply within DynamoDB so pages stay full. */
  async list(filter: UserListFilter, limit: number, after?: string | null): Promise<Page<User>> {
    const clauses: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (filter.role) {
      clauses.push('contains(#roles, :role)');
      names['#roles'] = 'roles';
      values[':role'] = filter.role;
    }
    if (filter.status) {
      clauses.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    if (filter.search) {
      clauses.push('(begins_with(#email, :search) OR contains(#dn, :search))');
      names['#email'] = 'email';
      names['#dn'] = 'displayNameLower';
      values[':search'] = filter.search.toLowerCase();
    }
    return queryCursorPage(
      this.dynamo.client,
      {
        tableName: this.dynamo.table,
        indexName: 'GSI1',
        partitionKey: { name: 'GSI1PK', value: USERS_INDEX_PARTITION },
        limit,
        scanForward: false,
        filter: clauses.length ? { expression: clauses.join(' AND '), names, values } : undefined,
      },
      {
        after,
        map: toUser,
        keyOf: (user) => ({
          ...userKey(user.id),
          GSI1PK: USERS_INDEX_PARTITION,
          GSI1SK: usersIndexSortKey(user.createdAt, user.id),
        }),
      },
    );
  }
}
