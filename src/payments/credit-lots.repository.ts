import { Injectable } from '@nestjs/common';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll, queryPage, type TransactPart } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { CreditLot } from './payment.types';
import { PaymentChangedError } from './payments.repository';
import { LOT_EXPIRY_PARTITION, lotKey, lotsOfStudent } from './payments.keys';

type Item = Record<string, unknown>;

function lotItem(lot: CreditLot): Item {
  return {
    ...lotKey(lot.id),
    ...lot,
    GSI1PK: lotsOfStudent(lot.studentId),
    GSI1SK: `${lot.expiresAt}#${lot.id}`,
    // Only lots that may still expire are in the sweep's partition.
    ...(lot.expiredAt ? {} : { GSI2PK: LOT_EXPIRY_PARTITION, GSI2SK: `${lot.expiresAt}#${lot.id}` }),
  };
}

function toLot(item: Item): CreditLot {
  const { PK: _a, SK: _b, GSI1PK: _c, GSI1SK: _d, GSI2PK: _e, GSI2SK: _f, ...rest } = item;
  return rest as unknown as CreditLot;
}

const changed = (reason: string) =>
  reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict' ? new PaymentChangedError() : undefined;

/** Credit lots: one per package purchase; their balances live in the ledger. */
@Injectable()
export class CreditLotsRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  createPart(lot: CreditLot): TransactPart {
    return {
      item: {
        Put: { TableName: this.dynamo.table, Item: lotItem(lot), ConditionExpression: 'attribute_not_exists(PK)' },
      },
      onFailed: changed,
    };
  }

  updatePart(before: CreditLot, after: CreditLot): TransactPart {
    return {
      item: {
        Put: {
          TableName: this.dynamo.table,
          Item: lotItem(after),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': before.version },
        },
      },
      onFailed: changed,
    };
  }

  async get(id: string): Promise<CreditLot | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: lotKey(id), ConsistentRead: true }),
    );
    return res.Item ? toLot(res.Item) : null;
  }

  /** A student's lots, soonest expiry first (a student holds few lots). */
  async ofStudent(studentId: string): Promise<CreditLot[]> {
    const items = await queryAll<Item>(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: lotsOfStudent(studentId) },
    });
    return items.map(toLot);
  }

  /** Lots not yet expired whose expiry is at or before `until`. */
  async expiringBy(until: string, limit: number): Promise<CreditLot[]> {
    const page = await queryPage<Item>(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI2',
      partitionKey: { name: 'GSI2PK', value: LOT_EXPIRY_PARTITION },
      sortKey: { name: 'GSI2SK', lte: `${until}#~` },
      limit,
    });
    return page.items.map(toLot);
  }
}
