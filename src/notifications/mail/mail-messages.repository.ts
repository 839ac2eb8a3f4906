import { Injectable } from '@nestjs/common';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, transactWrite, type TransactPart } from '@app/dynamo';
import { DynamoStore } from '../../stores/dynamo.store';
import { mailMessageKey } from '../notifications.keys';
import type { MailData } from './mail-data';
import type { MailTemplate } from './mail-templates';

/**
 * QUEUED → SENDING → SENT; or FAILED (the SMTP server refused it for good, or it kept failing);
 * SKIPPED (nobody to send it to any more); UNCERTAIN (an attempt died while sending: it may have
 * gone out, and at most once means it is not sent again).
 */
export type MailStatus = 'QUEUED' | 'SENDING' | 'SENT' | 'FAILED' | 'SKIPPED' | 'UNCERTAIN';

export interface MailMessage {
  messageId: string;
  template: MailTemplate;
  recipientId: string;
  data: MailData;
  status: MailStatus;
  attempts: number;
  createdAt: string;
  sentAt?: string;
  lastError?: string;
  /** Epoch seconds: DynamoDB's TTL forgets the message (and with it the duplicate guard) after this. */
  expiresAt: number;
}

/** Thrown by `create` when the message id was queued before (a repeated delivery of its event). */
export class MailAlreadyQueued extends Error {}

@Injectable()
export class MailMessagesRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** The message and `also` (its delivery job) in one transaction, only if the id is new. */
  async create(message: MailMessage, also: TransactPart[]): Promise<void> {
    await transactWrite(this.dynamo.client, [
      {
        item: {
          Put: {
            TableName: this.dynamo.table,
            Item: { ...mailMessageKey(message.messageId), ...message },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        onFailed: (reason) => (reason === 'ConditionalCheckFailed' ? new MailAlreadyQueued() : undefined),
      },
      ...also,
    ]);
  }

  async get(messageId: string): Promise<MailMessage | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: mailMessageKey(messageId), ConsistentRead: true }),
    );
    return (res.Item as MailMessage | undefined) ?? null;
  }

  /** QUEUED → SENDING; false when another attempt got there first or the message is settled. */
  async claim(messageId: string, now: string): Promise<boolean> {
    return this.transition(messageId, 'QUEUED', 'SET #status = :to, sendingSince = :now', {
      ':to': 'SENDING',
      ':now': now,
    });
  }

  /** SENDING → QUEUED after a failed attempt that certainly did not deliver it. */
  async release(messageId: string, attempts: number, error: string): Promise<boolean> {
    return this.transition(messageId, 'SENDING', 'SET #status = :to, attempts = :attempts, lastError = :error', {
      ':to': 'QUEUED',
      ':attempts': attempts,
      ':error': error.slice(0, 1000),
    });
  }

  /** The final state, from `from`. */
  async settle(
    messageId: string,
    from: MailStatus,
    to: Extract<MailStatus, 'SENT' | 'FAILED' | 'SKIPPED' | 'UNCERTAIN'>,
    details: { at: string; attempts: number; error?: string },
  ): Promise<boolean> {
    return this.transition(
      messageId,
      from,
      `SET #status = :to, attempts = :attempts, ${to === 'SENT' ? 'sentAt = :at' : 'settledAt = :at'}` +
        (details.error ? ', lastError = :error' : ''),
      {
        ':to': to,
        ':attempts': details.attempts,
        ':at': details.at,
        ...(details.error ? { ':error': details.error.slice(0, 1000) } : {}),
      },
    );
  }

  private async transition(
    messageId: string,
    from: MailStatus,
    update: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: mailMessageKey(messageId),
          UpdateExpression: update,
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':from': from },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}
