import { Injectable } from '@nestjs/common';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, type Page } from '@app/common';
import { isConditionalCheckFailed, queryCursorPage, type TransactPart, transactWrite } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { Payment } from './payment.types';
import {
  customerKey,
  payeePartition,
  payerPartition,
  paymentKey,
  providerRefKey,
  webhookEventKey,
} from './payments.keys';

type Item = Record<string, unknown>;

/** The payment changed since it was read (another change of its lesson, a webhook, a job). */
export class PaymentChangedError extends ConflictError {
  constructor() {
    super('The payment was changed meanwhile; retry', { reason: 'PAYMENT_CHANGED' });
  }
}
/** A webhook event that was already applied. */
export class EventAlreadyAppliedError extends Error {}

const changed = (reason: string) =>
  reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict' ? new PaymentChangedError() : undefined;

function paymentItem(p: Payment): Item {
  return {
    ...paymentKey(p.id),
    ...p,
    GSI1PK: payerPartition(p.studentId),
    GSI1SK: `${p.createdAt}#${p.id}`,
    GSI2PK: payeePartition(p.teacherId),
    GSI2SK: `${p.createdAt}#${p.id}`,
  };
}

function toPayment(item: Item): Payment {
  const { PK: _a, SK: _b, GSI1PK: _c, GSI1SK: _d, GSI2PK: _e, GSI2SK: _f, ...rest } = item;
  return rest as unknown as Payment;
}

/** Payments (lesson charges and package purchases), provider references, customers, webhook markers. */
@Injectable()
export class PaymentsRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  createPart(payment: Payment): TransactPart {
    return {
      item: {
        Put: {
          TableName: this.dynamo.table,
          Item: paymentItem(payment),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      onFailed: changed,
    };
  }

  /** Replaces `before` by `after` if nobody changed it since it was read. */
  updatePart(before: Payment, after: Payment): TransactPart {
    return {
      item: {
        Put: {
          TableName: this.dynamo.table,
          Item: paymentItem(after),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': before.version },
        },
      },
      onFailed: changed,
    };
  }

  /** A change of a payment with what goes with it (postings, a lot, a webhook marker), all or nothing. */
  async write(parts: TransactPart[]): Promise<void> {
    await transactWrite(this.dynamo.client, parts);
  }

  async get(id: string): Promise<Payment | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: paymentKey(id), ConsistentRead: true }),
    );
    return res.Item ? toPayment(res.Item) : null;
  }

  /** A student's payments (GSI1) or a teacher's (GSI2), newest first. */
  async page(side: 'payer' | 'payee', userId: string, limit: number, after?: string | null): Promise<Page<Payment>> {
    const index = side === 'payer' ? 'GSI1' : 'GSI2';
    return queryCursorPage(
      this.dynamo.client,
      {
        tableName: this.dynamo.table,
        indexName: index,
        partitionKey: { name: `${index}PK`, value: side === 'payer' ? payerPartition(userId) : payeePartition(userId) },
        limit,
        scanForward: false,
      },
      {
        after,
        map: toPayment,
        keyOf: (p) => {
          const item = paymentItem(p);
          return { PK: item.PK, SK: item.SK, [`${index}PK`]: item[`${index}PK`], [`${index}SK`]: item[`${index}SK`] };
        },
      },
    );
  }

  /** Remembers which payment a provider object belongs to (webhooks name the provider's id). */
  async putProviderRef(providerId: string, paymentId: string): Promise<void> {
    await this.dynamo.client.send(
      new PutCommand({ TableName: this.dynamo.table, Item: { ...providerRefKey(providerId), paymentId } }),
    );
  }

  async paymentIdOf(providerId: string): Promise<string | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: providerRefKey(providerId), ConsistentRead: true }),
    );
    return (res.Item?.paymentId as string | undefined) ?? null;
  }

  async customerOf(userId: string): Promise<string | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: customerKey(userId), ConsistentRead: true }),
    );
    return (res.Item?.customerId as string | undefined) ?? null;
  }

  /** Stores the user's customer unless one is stored already; returns the one that is. */
  async putCustomer(userId: string, customerId: string): Promise<string> {
    try {
      await this.dynamo.client.send(
        new PutCommand({
          TableName: this.dynamo.table,
          Item: { ...customerKey(userId), customerId },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return customerId;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return (await this.customerOf(userId)) ?? customerId;
    }
  }

  /** Marks a webhook event applied, in the transaction of its effect (a second delivery fails it). */
  webhookEventPart(eventId: string, expiresAt: number): TransactPart {
    return {
      item: {
        Put: {
          TableName: this.dynamo.table,
          Item: { ...webhookEventKey(eventId), expiresAt },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new EventAlreadyAppliedError() : undefined),
    };
  }

  async webhookEventSeen(eventId: string): Promise<boolean> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: webhookEventKey(eventId), ConsistentRead: true }),
    );
    return !!res.Item;
  }
}
