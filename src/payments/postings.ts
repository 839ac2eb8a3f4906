import { Accounts } from './ledger/accounts';
import { Posting } from './ledger/ledger.types';
import { credit, debit } from './ledger/posting';
import { platformFee } from './money';
import { CreditLot, Payment } from './payment.types';

/**
 * Every movement the payments module makes, as postings (docs/decisions/0017-payments-ledger.md
 * lists them with their accounts). Ids are derived from what they settle, so the same movement can
 * never be written twice: a second attempt fails the posting's attribute_not_exists condition.
 */
export class Postings {
  constructor(private readonly feeBps: number) {}

  /** A package paid: the money is held for the student as prepaid lessons, the credits are issued. */
  packagePaid(lot: CreditLot, at: string): Posting {
    return {
      id: `PACKAGE_PAID-${lot.paymentId}`,
      kind: 'PACKAGE_PAID',
      ref: lot.paymentId,
      at,
      legs: [
        debit(Accounts.clearing(lot.currency), lot.priceMinor),
        credit(Accounts.prepaid(lot.id, lot.studentId, lot.currency), lot.priceMinor),
        debit(Accounts.creditsIssued(lot.id, lot.studentId), lot.credits),
        credit(Accounts.creditsAvailable(lot.id, lot.studentId), lot.credits),
      ],
    };
  }

  creditReserved(lot: CreditLot, lessonId: string, at: string): Posting {
    return {
      id: `CREDIT_RESERVED-${lessonId}`,
      kind: 'CREDIT_RESERVED',
      ref: lessonPaymentRef(lessonId),
      at,
      legs: [
        debit(Accounts.creditsAvailable(lot.id, lot.studentId), 1),
        credit(Accounts.creditsReserved(lot.id, lot.studentId), 1),
      ],
    };
  }

  creditReleased(lot: CreditLot, lessonId: string, at: string): Posting {
    return {
      id: `CREDIT_RELEASED-${lessonId}`,
      kind: 'CREDIT_RELEASED',
      ref: lessonPaymentRef(lessonId),
      at,
      legs: [
        debit(Accounts.creditsReserved(lot.id, lot.studentId), 1),
        credit(Accounts.creditsAvailable(lot.id, lot.studentId), 1),
      ],
    };
  }

  /**
   * A reserved credit used (or, `expired`, returned after its lot expired): its value leaves the
   * prepaid account; the teacher earns `earnedMinor` of it less the platform fee, the rest is due
   * back to the student.
   */
  creditConsumed(
    lot: CreditLot,
    lessonId: string,
    valueMinor: number,
    earnedMinor: number,
    at: string,
    expired = false,
  ): Posting {
    const fee = platformFee(earnedMinor, this.feeBps);
    return {
      id: `${expired ? 'CREDITS_EXPIRED' : 'CREDIT_CONSUMED'}-${lessonId}`,
      kind: expired ? 'CREDITS_EXPIRED' : 'CREDIT_CONSUMED',
      ref: lessonPaymentRef(lessonId),
      at,
      legs: [
        debit(Accounts.creditsReserved(lot.id, lot.studentId), 1),
        credit(
          expired ? Accounts.creditsExpired(lot.id, lot.studentId) : Accounts.creditsUsed(lot.id, lot.studentId),
          1,
        ),
        debit(Accounts.prepaid(lot.id, lot.studentId, lot.currency), valueMinor),
        credit(Accounts.earnings(lot.teacherId, lot.currency), earnedMinor - fee),
        credit(Accounts.fees(lot.currency), fee),
        credit(Accounts.refundsDue(lot.studentId, lot.currency), valueMinor - earnedMinor),
      ],
    };
  }

  /** Unused credits of a lot expired: the teacher keeps their value (less the platform fee). */
  creditsExpired(lot: CreditLot, count: number, valueMinor: number, at: string): Posting {
    const fee = platformFee(valueMinor, this.feeBps);
    return {
      id: `CREDITS_EXPIRED-${lot.id}`,
      kind: 'CREDITS_EXPIRED',
      ref: lot.id,
      at,
      legs: [
        debit(Accounts.creditsAvailable(lot.id, lot.studentId), count),
        credit(Accounts.creditsExpired(lot.id, lot.studentId), count),
        debit(Accounts.prepaid(lot.id, lot.studentId, lot.currency), valueMinor),
        credit(Accounts.earnings(lot.teacherId, lot.currency), valueMinor - fee),
        credit(Accounts.fees(lot.currency), fee),
      ],
    };
  }

  /** An admin refunds a package's unused credits: they are withdrawn and their value is due back. */
  creditsRefunded(lot: CreditLot, refundId: string, count: number, valueMinor: number, at: string): Posting {
    return {
      id: `CREDITS_REFUNDED-${refundId}`,
      kind: 'CREDITS_REFUNDED',
      ref: lot.paymentId,
      at,
      legs: [
        debit(Accounts.creditsAvailable(lot.id, lot.studentId), count),
        credit(Accounts.creditsRefunded(lot.id, lot.studentId), count),
        debit(Accounts.prepaid(lot.id, lot.studentId, lot.currency), valueMinor),
        credit(Accounts.refundsDue(lot.studentId, lot.currency), valueMinor),
      ],
    };
  }

  /** A card lesson charged by its terms (completion, late fee, no-show): the student owes it. */
  lessonCharged(payment: Payment, amountMinor: number, at: string): Posting {
    const fee = platformFee(amountMinor, this.feeBps);
    return {
      id: `LESSON_CHARGED-${payment.id}`,
      kind: 'LESSON_CHARGED',
      ref: payment.id,
      at,
      legs: [
        debit(Accounts.receivable(payment.studentId, payment.currency), amountMinor),
        credit(Accounts.earnings(payment.teacherId, payment.currency), amountMinor - fee),
        credit(Accounts.fees(payment.currency), fee),
      ],
    };
  }

  /** The provider captured what the student owed. */
  chargeCaptured(payment: Payment, amountMinor: number, at: string): Posting {
    return {
      id: `CHARGE_CAPTURED-${payment.id}`,
      kind: 'CHARGE_CAPTURED',
      ref: payment.id,
      at,
      legs: [
        debit(Accounts.clearing(payment.currency), amountMinor),
        credit(Accounts.receivable(payment.studentId, payment.currency), amountMinor),
      ],
    };
  }

  /** Money earned on a payment is given back (an admin's refund, or a correction): teacher and platform return their shares. */
  paymentRefunded(payment: Payment, refundId: string, amountMinor: number, at: string): Posting {
    const fee = platformFee(amountMinor, this.feeBps);
    return {
      id: `PAYMENT_REFUNDED-${refundId}`,
      kind: 'PAYMENT_REFUNDED',
      ref: payment.id,
      at,
      legs: [
        debit(Accounts.earnings(payment.teacherId, payment.currency), amountMinor - fee),
        debit(Accounts.fees(payment.currency), fee),
        credit(Accounts.refundsDue(payment.studentId, payment.currency), amountMinor),
      ],
    };
  }

  /** The provider sent a refund back to the card. */
  refundSent(payment: Payment, refundId: string, amountMinor: number, at: string): Posting {
    return {
      id: `REFUND_SENT-${refundId}`,
      kind: 'REFUND_SENT',
      ref: payment.id,
      at,
      legs: [
        debit(Accounts.refundsDue(payment.studentId, payment.currency), amountMinor),
        credit(Accounts.clearing(payment.currency), amountMinor),
      ],
    };
  }
}

/** A lesson's postings are listed under its payment. */
export const lessonPaymentRef = (lessonId: string) => `L-${lessonId}`;
