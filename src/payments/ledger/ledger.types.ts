/**
 * The double-entry ledger (docs/decisions/0017-payments-ledger.md). Every movement is one posting:
 * legs that debit and credit accounts, balanced per unit (a currency, or CREDIT for lesson credits),
 * written in one DynamoDB transaction with the change that causes it. Entries are never changed;
 * a correction is a new posting.
 */

/** An ISO 4217 code for money, or CREDIT for lesson credits (one unit = one lesson of the package). */
export type Unit = string;
export const CREDIT_UNIT = 'CREDIT';

/**
 * Which side makes an account grow. Assets (money at the provider, what a student owes) grow by
 * debits; what we owe (prepaid packages, teacher earnings, refunds due) and revenue (fees) grow by
 * credits. Every balance, counted on its own normal side, stays at or above zero.
 */
export type NormalSide = 'DEBIT' | 'CREDIT';

export interface Account {
  /** e.g. `earnings:01J…:EUR`; names every account uniquely. */
  id: string;
  unit: Unit;
  normal: NormalSide;
  /** The user it belongs to (student or teacher), for listing; absent for the platform's own. */
  ownerId?: string;
}

export interface Leg {
  account: Account;
  side: NormalSide;
  /** Positive integer: minor units of the currency, or credits. */
  amount: number;
}

export type PostingKind =
  | 'PACKAGE_PAID'
  | 'CREDIT_RESERVED'
  | 'CREDIT_RELEASED'
  | 'CREDIT_CONSUMED'
  | 'CREDITS_EXPIRED'
  | 'CREDITS_REFUNDED'
  | 'LESSON_CHARGED'
  | 'CHARGE_CAPTURED'
  | 'PAYMENT_REFUNDED'
  | 'REFUND_SENT';

export interface Posting {
  id: string;
  kind: PostingKind;
  /** The payment, lesson or credit lot it belongs to. */
  ref: string;
  at: string;
  legs: Leg[];
  memo?: string;
}

/** A stored balance. */
export interface AccountBalance {
  account: string;
  unit: Unit;
  normal: NormalSide;
  ownerId?: string;
  balance: number;
}

/** A stored entry: one leg of a posting, immutable. */
export interface LedgerEntry {
  postingId: string;
  kind: PostingKind;
  ref: string;
  account: string;
  unit: Unit;
  side: NormalSide;
  amount: number;
  at: string;
}
