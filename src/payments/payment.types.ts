import { registerEnumType } from '@nestjs/graphql';

export enum PaymentKind {
  /** A lesson paid per lesson (card) or with a credit. */
  LESSON = 'LESSON',
  /** A package of credits. */
  PACKAGE = 'PACKAGE',
}
registerEnumType(PaymentKind, {
  name: 'PaymentKind',
  description: 'What a payment pays for.',
  valuesMap: {
    LESSON: { description: 'One lesson, by card or with a package credit.' },
    PACKAGE: { description: 'A package of lesson credits.' },
  },
});

export enum PaymentMethod {
  CARD = 'CARD',
  CREDIT = 'CREDIT',
}
registerEnumType(PaymentMethod, {
  name: 'PaymentMethod',
  description: 'How a payment is paid.',
  valuesMap: {
    CARD: { description: 'By card through the payment provider (Stripe).' },
    CREDIT: { description: 'With a credit of a package bought before.' },
  },
});

/**
 * What the lesson's terms say should happen with the money; set in the lesson's own transaction.
 * The provider is brought in line afterwards (PaymentSync), so `intent` may be ahead of `provider`.
 */
export type PaymentIntentState = 'HOLD' | 'RELEASE' | 'CAPTURE';

export enum PaymentState {
  /** Card: the student has not confirmed the card yet (use clientSecret). */
  AWAITING_AUTHORISATION = 'AWAITING_AUTHORISATION',
  /** Card: the amount is held on the card. */
  AUTHORISED = 'AUTHORISED',
  /** Credit: one credit of the lot is held for the lesson. */
  RESERVED = 'RESERVED',
  /** The lesson was charged; the capture at the provider is on its way. */
  CAPTURE_PENDING = 'CAPTURE_PENDING',
  /** Card: captured (`capturedMinor` may be a late fee only). Package: paid, credits granted. */
  CAPTURED = 'CAPTURED',
  /** Credit: the credit was used (the lesson took place, or a late cancellation / no-show). */
  CONSUMED = 'CONSUMED',
  /** Nothing is owed: the hold was released or the credit returned. */
  RELEASED = 'RELEASED',
  /** The provider refused the capture (e.g. the card was never confirmed); the amount stays owed. */
  CAPTURE_FAILED = 'CAPTURE_FAILED',
}
registerEnumType(PaymentState, {
  name: 'PaymentState',
  description: 'Where the money of a payment is.',
  valuesMap: {
    AWAITING_AUTHORISATION: { description: 'Card: the student has not confirmed the card yet (use clientSecret).' },
    AUTHORISED: { description: 'Card: the amount is held on the card.' },
    RESERVED: { description: 'Credit: one credit of the package is held for the lesson.' },
    CAPTURE_PENDING: { description: 'The lesson was charged; the capture at the provider is on its way.' },
    CAPTURED: { description: 'Card: captured (possibly a late fee only). Package: paid, credits granted.' },
    CONSUMED: { description: 'Credit: the credit was used (held lesson, late cancellation or no-show).' },
    RELEASED: { description: 'Nothing is owed: the hold was released or the credit returned.' },
    CAPTURE_FAILED: {
      description: 'The provider refused the capture (e.g. the card was never confirmed); the amount stays owed.',
    },
  },
});

/** The provider's side of a card payment, as last seen. */
export interface ProviderSide {
  paymentIntentId?: string;
  clientSecret?: string;
  /** The provider's status (Stripe: requires_payment_method, requires_capture, succeeded, canceled, ...). */
  status?: string;
  /** Captured at the provider and posted to the ledger (CHARGE_CAPTURED / PACKAGE_PAID). */
  capturedMinor: number;
  customerId?: string;
}

/** Money due back to the student: an admin's refund, or the unearned part of a charge. */
export interface RefundLine {
  id: string;
  amountMinor: number;
  reason: string;
  /** A user id, or 'system' for the lesson's terms. */
  by: string;
  at: string;
  /** DUE: promised (PAYMENT_REFUNDED posted); SENT: the provider sent it (REFUND_SENT posted). */
  status: 'DUE' | 'SENT';
  /** The payment whose provider payment is refunded (a credit lesson's refund goes through its package). */
  viaPaymentId: string;
  providerRefundId?: string;
}

/** A payment as stored (PAYMENT#id). Amounts in minor units of `currency`. */
export interface Payment {
  id: string;
  kind: PaymentKind;
  method: PaymentMethod;
  studentId: string;
  teacherId: string;
  currency: string;
  /** The lesson's price, or the package's. */
  amountMinor: number;
  intent: PaymentIntentState;
  state: PaymentState;
  /** LESSON: the amount charged by the lesson's terms (price, or the late fee), 0 while none. */
  chargedMinor: number;
  /** Refunds promised and sent; `refundedMinor` adds up the SENT ones. */
  refunds: RefundLine[];
  refundedMinor: number;
  provider: ProviderSide;
  lessonId?: string;
  /** LESSON: the lesson's status and start as of the last change (kept in the lesson's transaction). */
  lessonStatus?: string;
  lessonStart?: string;
  lessonEnd?: string;
  durationMinutes?: number;
  /** CREDIT lessons: the lot the credit comes from. PACKAGE: the lot granted once paid. */
  lotId?: string;
  /** PACKAGE: what was bought. */
  packageId?: string;
  credits?: number;
  validityMonths?: number;
  lateCancellation?: LateCancellationRule;
  /** The percent of the price the lesson's terms charged (100 when it took place; the late fee). */
  feePercent?: number;
  /** Charged at the deadline because the teacher had not marked the lesson completed or no-show. */
  chargedAtDeadline?: boolean;
  description: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Deterministic id of a lesson's payment, so the lesson finds it without an index. */
export const lessonPaymentId = (lessonId: string) => `L-${lessonId}`;

/** One purchase of a package: its credits and what they cost (CREDITLOT#id). */
export interface CreditLot {
  id: string;
  studentId: string;
  teacherId: string;
  packageId: string;
  paymentId: string;
  durationMinutes: number;
  credits: number;
  priceMinor: number;
  currency: string;
  /** The package's rule for late cancellations and no-shows, as bought. */
  lateCancellation: LateCancellationRule;
  /** Credits whose money has left the prepaid account (used, expired or refunded). */
  settledCredits: number;
  expiresAt: string;
  /** Set once the student was told the lot is about to expire. */
  expiryNoticeAt?: string;
  /** Set once the unused credits expired. */
  expiredAt?: string;
  createdAt: string;
  version: number;
}

export enum LateCancellationRule {
  /** A late cancellation or no-show uses the credit: the teacher earns its whole value. */
  CONSUME_CREDIT = 'CONSUME_CREDIT',
  /** The teacher earns the lesson's late fee percent of the credit's value; the rest is refunded. */
  CHARGE_FEE = 'CHARGE_FEE',
}
registerEnumType(LateCancellationRule, {
  name: 'LateCancellationRule',
  description: "What a package credit costs when its lesson is cancelled late or missed (the teacher's policy).",
  valuesMap: {
    CONSUME_CREDIT: { description: 'The credit is used: the teacher earns its whole value.' },
    CHARGE_FEE: { description: "The teacher earns the late fee percent of the credit's value; the rest is refunded." },
  },
});

/** A teacher's package of lessons of one offering (PACKAGES#teacher / PACKAGE#id). */
export interface LessonPackage {
  id: string;
  teacherId: string;
  name: string;
  durationMinutes: number;
  credits: number;
  priceMinor: number;
  currency: string;
  /** The offering's price of one lesson when the package was last saved (for its discount). */
  singlePriceMinor: number;
  validityMonths: number;
  lateCancellation: LateCancellationRule;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}
