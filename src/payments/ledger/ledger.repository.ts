import { Injectable } from '@nestjs/common';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '@app/common';
import { queryAll, type TransactPart } from '@app/dynamo';
import { DynamoStore } from '../../stores/dynamo.store';
import {
  accountPartition,
  ALL_ACCOUNTS,
  balanceKey,
  entrySortKey,
  ownerAccounts,
  postingKey,
  postingsOf,
} from '../payments.keys';
import { AccountBalance, LedgerEntry, Posting } from './ledger.types';
import { balanceChanges, balanced } from './posting';

/** A balance would go below zero: the movement is refused (e.g. the last credit was just taken). */
export class InsufficientBalanceError extends ConflictError {
  constructor(readonly account: string) {
    super(`The balance of ${account} is too low for this movement`, { reason: 'INSUFFICIENT_BALANCE' });
  }
}

/** What the caller's client is told when a balance is too low (default InsufficientBalanceError). */
export type WhenInsufficient = (account: string) => Error;

/**
 * The ledger's items: per account one balance item (updated with a condition that keeps it at or
 * above zero) and one immutable entry per leg; per posting one item with all its legs.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /**
   * The items of a posting, for the caller's transaction: balance updates first (their failure is
   * the one that matters), then the posting and its entries (new items, never overwritten).
   */
  parts(posting: Posting, whenInsufficient: WhenInsufficient = (a) => new InsufficientBalanceError(a)): TransactPart[] {
    const p = balanced(posting);
    const table = this.dynamo.table;
    const parts: TransactPart[] = [];
    for (const { account, delta } of balanceChanges(p)) {
      const decreasing = delta < 0;
      parts.push({
        item: {
          Update: {
            TableName: table,
            Key: balanceKey(account.id),
            UpdateExpression:
              'ADD #balance :delta SET #account = :account, #unit = :unit, #normal = :normal, GSI1PK = :all, GSI1SK = :account' +
              (account.ownerId ? ', ownerId = :owner, GSI2PK = :ownerPk, GSI2SK = :account' : ''),
            ...(decreasing ? { ConditionExpression: '#balance >= :needed' } : {}),
            ExpressionAttributeNames: {
              '#balance': 'balance',
              '#account': 'account',
              '#unit': 'unit',
              '#normal': 'normal',
            },
            ExpressionAttributeValues: {
              ':delta': delta,
              ':account': account.id,
              ':unit': account.unit,
              ':normal': account.normal,
              ':all': ALL_ACCOUNTS,
              ...(account.ownerId ? { ':owner': account.ownerId, ':ownerPk': ownerAccounts(account.ownerId) } : {}),
              ...(decreasing ? { ':needed': -delta } : {}),
            },
          },
        },
        onFailed: decreasing
          ? (reason) => (reason === 'ConditionalCheckFailed' ? whenInsufficient(account.id) : undefined)
          : undefined,
      });
    }
    parts.push({
      item: {
        Put: {
          TableName: table,
          Item: {
            ...postingKey(p.id),
            id: p.id,
            kind: p.kind,
            ref: p.ref,
            at: p.at,
            ...(p.memo ? { memo: p.memo } : {}),
            legs: p.legs.map((l) => ({ account: l.account.id, unit: l.account.unit, side: l.side, amount: l.amount })),
            GSI1PK: postingsOf(p.ref),
            GSI1SK: `${p.at}#${p.id}`,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    });
    p.legs.forEach((leg, i) => {
      const entry: LedgerEntry = {
        postingId: p.id,
        kind: p.kind,
        ref: p.ref,
        account: leg.account.id,
        unit: leg.account.unit,
        side: leg.side,
        amount: leg.amount,
        at: p.at,
      };
      parts.push({
        item: {
          Put: {
            TableName: table,
            Item: { PK: accountPartition(leg.account.id), SK: `${entrySortKey(p.at, p.id)}#${i}`, ...entry },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      });
    });
    return parts;
  }

  async balance(account: string): Promise<number> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: balanceKey(account), ConsistentRead: true }),
    );
    return (res.Item?.balance as number | undefined) ?? 0;
  }

  /** Every account's balance (audits and the invariant tests; one partition of GSI1). */
  async allBalances(): Promise<AccountBalance[]> {
    const items = await queryAll<AccountBalance>(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: ALL_ACCOUNTS },
    });
    return items.map(toBalance);
  }

  /** The accounts of one user (a teacher's earnings per currency, a student's credits). */
  async balancesOf(ownerId: string): Promise<AccountBalance[]> {
    const items = await queryAll<AccountBalance>(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI2',
      partitionKey: { name: 'GSI2PK', value: ownerAccounts(ownerId) },
    });
    return items.map(toBalance);
  }

  /** An account's entries with `from <= at < to` (ISO instants). */
  async entries(account: string, from: string, to: string): Promise<LedgerEntry[]> {
    return queryAll<LedgerEntry>(this.dynamo.client, {
      tableName: this.dynamo.table,
      partitionKey: { name: 'PK', value: accountPartition(account) },
      sortKey: { name: 'SK', between: [`ENTRY#${from}`, `ENTRY#${to}`] },
      filter: { expression: '#at < :to', names: { '#at': 'at' }, values: { ':to': to } },
      consistentRead: true,
    });
  }

  /** The postings of a payment, lesson or lot, oldest first. */
  async postingsOf(
    ref: string,
  ): Promise<Array<Omit<Posting, 'legs'> & { legs: Array<Omit<LedgerEntry, 'postingId' | 'kind' | 'ref' | 'at'>> }>> {
    return queryAll(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: postingsOf(ref) },
    });
  }
}

function toBalance(item: AccountBalance): AccountBalance {
  return {
    account: item.account,
    unit: item.unit,
    normal: item.normal,
    balance: item.balance,
    ...(item.ownerId ? { ownerId: item.ownerId } : {}),
  };
}
