import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, isTransactionCanceled } from './errors';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB allows at most this many items in one TransactWriteItems call. */
export const MAX_TRANSACT_ITEMS = 100;

/**
 * One item of a transaction, contributed by whichever repository owns it (a lesson and its locks,
 * an idempotency record, an outbox event...). When the transaction is cancelled because of this
 * item, `onFailed` names the error the caller sees instead of the SDK's exception.
 */
export interface TransactPart {
  item: TransactItem;
  /** reason: the item's cancellation code, e.g. 'ConditionalCheckFailed' or 'TransactionConflict'. */
  onFailed?: (reason: string) => Error | undefined;
}

/** Thrown when more parts are given than one transaction may hold. */
export class TransactionTooLargeError extends Error {
  constructor(readonly items: number) {
    super(`a transaction needs ${items} items; DynamoDB allows ${MAX_TRANSACT_ITEMS}`);
  }
}

/**
 * Writes every part or none. On cancellation the parts are asked in their order which error to
 * raise, so callers put the part whose failure matters most first (e.g. an idempotency record
 * before the slot locks it guards). Unclaimed cancellations rethrow the SDK error.
 */
export async function transactWrite(client: DynamoDBDocumentClient, parts: TransactPart[]): Promise<void> {
  if (parts.length > MAX_TRANSACT_ITEMS) throw new TransactionTooLargeError(parts.length);
  if (parts.length === 0) return;
  try {
    await client.send(new TransactWriteCommand({ TransactItems: parts.map((p) => p.item) }));
  } catch (err) {
    if (!isTransactionCanceled(err)) throw err;
    const reasons = cancellationReasons(err);
    for (const [i, part] of parts.entries()) {
      const reason = reasons[i];
      if (!reason || reason === 'None') continue;
      const mapped = part.onFailed?.(reason);
      if (mapped) throw mapped;
    }
    throw err;
  }
}
