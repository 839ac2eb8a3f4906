import type { TransactPart } from '@app/dynamo';
import type { Lesson, LessonAction } from './lesson.types';

/**
 * The money side of a lesson change, provided by the payments module (bookings knows nothing of
 * ledgers or providers). A change's billing is written in the lesson's own transaction: a credit
 * is reserved together with the lesson and its slot locks, or neither is written.
 */
export interface LessonBillingChange {
  action: LessonAction;
  /** Null for a new lesson. */
  before: Lesson | null;
  after: Lesson;
  /** REQUEST only: the credit lot the student pays with; without one the lesson is paid per lesson. */
  creditId?: string;
}

export abstract class LessonBilling {
  /**
   * Checks the change can be paid (typed errors, nothing written) and returns the items to write
   * in its transaction. Runs before the transaction; the items' conditions guard against races.
   */
  abstract plan(change: LessonBillingChange): Promise<TransactPart[]>;
  /** After the transaction committed (best effort: durable follow-ups go through the outbox). */
  abstract committed(change: LessonBillingChange): void;
  /**
   * Whether a failed write failed only because the money side changed meanwhile (e.g. the provider's
   * state was synced into the payment): the change may then be planned and written again.
   */
  abstract retryable(err: unknown): boolean;
}

/** Without a payments module lessons cost nothing to write. */
export class NoLessonBilling extends LessonBilling {
  plan(): Promise<TransactPart[]> {
    return Promise.resolve([]);
  }
  committed(): void {}
  retryable(): boolean {
    return false;
  }
}
