import { Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import type { TransactPart } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { LessonBilling, LessonBillingChange } from '../bookings/lesson-billing';
import { LessonAction, type Lesson } from '../bookings/lesson.types';
import { CreditLotsRepository } from './credit-lots.repository';
import { LedgerRepository } from './ledger/ledger.repository';
import { lessonMoney } from './lesson-money';
import { creditValue, percentOf } from './money';
import {
  CreditLot,
  LateCancellationRule,
  lessonPaymentId,
  Payment,
  PaymentKind,
  PaymentMethod,
  PaymentState,
} from './payment.types';
import { PaymentChangedError, PaymentsRepository } from './payments.repository';
import { badCredit, creditTaken } from './payments.errors';
import { Postings } from './postings';

/** A payment change and the items that go with it in one transaction. */
export interface PaymentChange {
  next: Payment;
  parts: TransactPart[];
}

/**
 * The payments side of every lesson change (the LessonBilling port of bookings): a request reserves
 * a credit or opens a card payment; declines, expiries and timely cancellations release it; a
 * completion, a late cancellation or a no-show charges what the lesson's terms say. All of it is
 * written in the lesson's own transaction; the provider follows later (PaymentSync).
 */
@Injectable()
export class LessonBillingService extends LessonBilling {
  readonly postings: Postings;

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly lots: CreditLotsRepository,
    private readonly ledger: LedgerRepository,
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
    this.postings = new Postings(config.PLATFORM_FEE_BPS);
  }

  async plan(change: LessonBillingChange): Promise<TransactPart[]> {
    const { action, after } = change;
    if (action === LessonAction.REQUEST) return this.planRequest(after, change.creditId);
    if (action === LessonAction.SET_MEETING_URL) return [];
    const payment = await this.payments.get(lessonPaymentId(after.id));
    // Lessons booked before payments existed, and free lessons, have none.
    if (!payment) return [];
    const { next, parts } = await this.follow(payment, after);
    return [this.payments.updatePart(payment, next), ...parts];
  }

  committed(): void {
    // The provider is brought in line by the outbox consumer of the lesson's event (PaymentSync).
  }

  retryable(err: unknown): boolean {
    return err instanceof PaymentChangedError;
  }

  /** The payment after its lesson changed to `lesson`'s state. */
  async follow(payment: Payment, lesson: Lesson): Promise<PaymentChange> {
    const now = this.clock.now().toISOString();
    const base: Payment = {
      ...payment,
      lessonStatus: lesson.status,
      lessonStart: lesson.start,
      lessonEnd: lesson.end,
      version: payment.version + 1,
      updatedAt: now,
    };
    const money = lessonMoney(lesson);
    if (money.kind === 'open') return { next: base, parts: [] };
    if (money.kind === 'release') return this.release(base, now);
    return this.charge(base, money.percent, now);
  }

  /** The lesson is presumed held: charged in full (the deadline job; the teacher never marked it). */
  async chargeAtDeadline(payment: Payment): Promise<PaymentChange | null> {
    const open =
      payment.method === PaymentMethod.CARD
        ? payment.chargedMinor === 0 && payment.intent === 'HOLD'
        : payment.state === PaymentState.RESERVED;
    if (payment.lessonStatus !== 'CONFIRMED' || !open) return null;
    const now = this.clock.now().toISOString();
    const change = await this.charge({ ...payment, version: payment.version + 1, updatedAt: now }, 100, now);
    return { next: { ...change.next, chargedAtDeadline: true }, parts: change.parts };
  }

  private async planRequest(lesson: Lesson, creditId?: string): Promise<TransactPart[]> {
    if (!creditId && lesson.priceMinor <= 0) return [];
    const now = this.clock.now().toISOString();
    const payment: Payment = {
      id: lessonPaymentId(lesson.id),
      kind: PaymentKind.LESSON,
      method: creditId ? PaymentMethod.CREDIT : PaymentMethod.CARD,
      studentId: lesson.studentId,
      teacherId: lesson.teacherId,
      currency: lesson.currency,
      amountMinor: lesson.priceMinor,
      intent: 'HOLD',
      state: creditId ? PaymentState.RESERVED : PaymentState.AWAITING_AUTHORISATION,
      chargedMinor: 0,
      refunds: [],
      refundedMinor: 0,
      provider: { capturedMinor: 0 },
      lessonId: lesson.id,
      lessonStatus: lesson.status,
      lessonStart: lesson.start,
      lessonEnd: lesson.end,
      durationMinutes: lesson.durationMinutes,
      description: `${lesson.durationMinutes}-minute lesson on ${lesson.start}`,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (!creditId) return [this.payments.createPart(payment)];
    const lot = await this.usableLot(creditId, lesson);
    const withCredit: Payment = {
      ...payment,
      lotId: lot.id,
      currency: lot.currency,
      amountMinor: creditValue(lot.priceMinor, lot.credits, 0, 1),
      description: `${lesson.durationMinutes}-minute lesson on ${lesson.start}, paid with a package credit`,
    };
    return [
      ...this.ledger.parts(this.postings.creditReserved(lot, lesson.id, now), () => creditTaken()),
      this.payments.createPart(withCredit),
    ];
  }

  /** The student's own lot, for this teacher and length, not expired. */
  private async usableLot(creditId: string, lesson: Lesson): Promise<CreditLot> {
    const lot = await this.lots.get(creditId);
    if (!lot || lot.studentId !== lesson.studentId) throw badCredit('you have no credits with this id');
    if (lot.teacherId !== lesson.teacherId) throw badCredit('these credits are for lessons with another teacher');
    if (lot.durationMinutes !== lesson.durationMinutes)
      throw badCredit(`these credits are for ${lot.durationMinutes}-minute lessons`);
    if (lot.expiredAt || new Date(lot.expiresAt) <= this.clock.now())
      throw badCredit(`these credits expired at ${lot.expiresAt}`);
    // Whether a credit is left is not read first: the reservation's condition (the available balance
    // stays at or above zero) decides in the lesson's transaction, and answers creditTaken().
    return lot;
  }

  private async release(base: Payment, now: string): Promise<PaymentChange> {
    if (base.method === PaymentMethod.CARD) {
      const charged = base.chargedMinor > 0;
      // A charge already made (at the deadline) is not released by a later status; see charge().
      if (charged) return { next: base, parts: [] };
      return { next: { ...base, intent: 'RELEASE', state: PaymentState.RELEASED }, parts: [] };
    }
    if (base.state !== PaymentState.RESERVED) return { next: base, parts: [] };
    const lot = await this.requireLot(base.lotId!);
    const next: Payment = { ...base, intent: 'RELEASE', state: PaymentState.RELEASED };
    if (new Date(lot.expiresAt).toISOString() > now)
      return { next, parts: this.ledger.parts(this.postings.creditReleased(lot, base.lessonId!, now)) };
    // The lot expired while the credit was reserved: it expires now, as its unused credits did.
    const value = creditValue(lot.priceMinor, lot.credits, lot.settledCredits, 1);
    return {
      next,
      parts: [
        this.lots.updatePart(lot, { ...lot, settledCredits: lot.settledCredits + 1, version: lot.version + 1 }),
        ...this.ledger.parts(this.postings.creditConsumed(lot, base.lessonId!, value, value, now, true)),
      ],
    };
  }

  private async charge(base: Payment, percent: number, now: string): Promise<PaymentChange> {
    return base.method === PaymentMethod.CARD
      ? this.chargeCard(base, percent, now)
      : this.chargeCredit(base, percent, now);
  }

  private chargeCard(base: Payment, percent: number, now: string): PaymentChange {
    const amount = percentOf(base.amountMinor, percent);
    if (base.chargedMinor === 0) {
      if (amount === 0) return { next: { ...base, intent: 'RELEASE', state: PaymentState.RELEASED }, parts: [] };
      return {
        next: {
          ...base,
          intent: 'CAPTURE',
          state: PaymentState.CAPTURE_PENDING,
          chargedMinor: amount,
          feePercent: percent,
        },
        parts: this.ledger.parts(this.postings.lessonCharged(base, amount, now)),
      };
    }
    return this.correct(base, base.chargedMinor - amount, percent, base.id, now);
  }

  private async chargeCredit(base: Payment, percent: number, now: string): Promise<PaymentChange> {
    const lot = await this.requireLot(base.lotId!);
    const fullValue = (value: number) =>
      percent >= 100 || lot.lateCancellation === LateCancellationRule.CONSUME_CREDIT
        ? value
        : percentOf(value, percent);
    if (base.state !== PaymentState.RESERVED) {
      // Consumed already (at the deadline): only a smaller charge by the final status changes anything.
      return this.correct(base, base.chargedMinor - fullValue(base.chargedMinor), percent, lot.paymentId, now);
    }
    const value = creditValue(lot.priceMinor, lot.credits, lot.settledCredits, 1);
    const earned = fullValue(value);
    const refund = value - earned;
    const next: Payment = {
      ...base,
      intent: 'CAPTURE',
      state: PaymentState.CONSUMED,
      amountMinor: value,
      chargedMinor: earned,
      feePercent: percent,
      refunds: refund > 0 ? [...base.refunds, refundLine(base, refund, lot.paymentId, now)] : base.refunds,
    };
    return {
      next,
      parts: [
        this.lots.updatePart(lot, { ...lot, settledCredits: lot.settledCredits + 1, version: lot.version + 1 }),
        ...this.ledger.parts(this.postings.creditConsumed(lot, base.lessonId!, value, earned, now)),
      ],
    };
  }

  /** A charge made at the deadline that the final status makes smaller: the difference is refunded. */
  private correct(base: Payment, excess: number, percent: number, viaPaymentId: string, now: string): PaymentChange {
    if (excess <= 0) return { next: base, parts: [] };
    const line = refundLine(base, excess, viaPaymentId, now);
    return {
      next: { ...base, feePercent: percent, refunds: [...base.refunds, line] },
      parts: this.ledger.parts(this.postings.paymentRefunded(base, line.id, excess, now)),
    };
  }

  private async requireLot(id: string): Promise<CreditLot> {
    const lot = await this.lots.get(id);
    if (!lot) throw new Error(`credit lot ${id} of a payment is missing`);
    return lot;
  }
}

function refundLine(payment: Payment, amountMinor: number, viaPaymentId: string, at: string) {
  return {
    id: `${payment.id}-R${payment.refunds.length + 1}`,
    amountMinor,
    reason: 'the lesson terms charge less than its price',
    by: 'system',
    at,
    status: 'DUE' as const,
    viaPaymentId,
  };
}
