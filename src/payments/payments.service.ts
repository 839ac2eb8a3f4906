import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { Clock, ConflictError, ForbiddenError, NotFoundError, type Page, ValidationFailedError } from '@app/common';
import { isAdmin, type Viewer } from '../auth/viewer';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CreditLotsRepository } from './credit-lots.repository';
import { Accounts } from './ledger/accounts';
import { LedgerRepository } from './ledger/ledger.repository';
import { LessonBillingService } from './lesson-billing.service';
import { creditValue } from './money';
import { CreditLot, lessonPaymentId, Payment, PaymentKind, PaymentMethod, PaymentState } from './payment.types';
import { PackagesService } from './packages.service';
import { PaymentSync } from './payment-sync.service';
import { PaymentsRepository } from './payments.repository';

export interface CreditBalance {
  lot: CreditLot;
  available: number;
  reserved: number;
  used: number;
  expired: number;
  refunded: number;
}

export interface EarningsLine {
  currency: string;
  /** Earned in the period (credits to the earnings account). */
  earnedMinor: number;
  /** Given back in the period (refunds and corrections). */
  refundedMinor: number;
  netMinor: number;
  /** What the platform owes the teacher now (all periods; payouts are out of scope). */
  balanceMinor: number;
  entries: number;
}

/** Buying packages, reading payments, credits and earnings, admins' refunds. */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly lots: CreditLotsRepository,
    private readonly ledger: LedgerRepository,
    private readonly packages: PackagesService,
    private readonly billing: LessonBillingService,
    private readonly sync: PaymentSync,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  /** A purchase: the payment is stored, then the provider's payment created (its client secret is the answer). */
  async buyPackage(viewer: Viewer, packageId: string, idempotencyKey: string): Promise<Payment> {
    return this.idempotency.runStandalone(
      { caller: viewer.userId, key: idempotencyKey, operation: 'buyPackage', input: { packageId } },
      {
        execute: () => this.startPurchase(viewer, packageId),
        resultOf: (p) => ({ id: p.id }),
        replay: ({ id }) => this.sync.sync(id),
      },
    );
  }

  private async startPurchase(viewer: Viewer, packageId: string): Promise<Payment> {
    const pkg = await this.packages.get(packageId);
    if (!pkg || !pkg.active) throw ValidationFailedError.field('packageId', 'no package on sale has this id');
    if (pkg.teacherId === viewer.userId)
      throw ValidationFailedError.field('packageId', 'you cannot buy your own package');
    const now = this.clock.now().toISOString();
    const payment: Payment = {
      id: ulid(),
      kind: PaymentKind.PACKAGE,
      method: PaymentMethod.CARD,
      studentId: viewer.userId,
      teacherId: pkg.teacherId,
      currency: pkg.currency,
      amountMinor: pkg.priceMinor,
      intent: 'CAPTURE',
      state: PaymentState.AWAITING_AUTHORISATION,
      chargedMinor: 0,
      refunds: [],
      refundedMinor: 0,
      provider: { capturedMinor: 0 },
      lotId: ulid(),
      packageId: pkg.id,
      credits: pkg.credits,
      validityMonths: pkg.validityMonths,
      lateCancellation: pkg.lateCancellation,
      durationMinutes: pkg.durationMinutes,
      description: `${pkg.name}: ${pkg.credits} × ${pkg.durationMinutes} minutes`,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.payments.write([this.payments.createPart(payment)]);
    return (await this.sync.sync(payment.id)) ?? payment;
  }

  /**
   * A payment for its payer, its payee and admins (null when there is none; FORBIDDEN for anyone
   * else); a pending one is brought up to date first.
   */
  async visible(viewer: Viewer, id: string): Promise<Payment | null> {
    const payment = await this.payments.get(id);
    if (!payment) return null;
    if (payment.studentId !== viewer.userId && payment.teacherId !== viewer.userId && !isAdmin(viewer))
      throw new ForbiddenError('Only the payer, the teacher and admins may see a payment');
    if (payment.state === PaymentState.AWAITING_AUTHORISATION || payment.state === PaymentState.CAPTURE_PENDING)
      return (await this.sync.sync(id)) ?? payment;
    return payment;
  }

  lessonPayment(viewer: Viewer, lessonId: string): Promise<Payment | null> {
    return this.visible(viewer, lessonPaymentId(lessonId));
  }

  myPayments(viewer: Viewer, asTeacher: boolean, limit: number, after?: string | null): Promise<Page<Payment>> {
    return this.payments.page(asTeacher ? 'payee' : 'payer', viewer.userId, limit, after);
  }

  /** The viewer's credit lots with where each credit is, from the ledger. */
  async myCredits(viewer: Viewer): Promise<CreditBalance[]> {
    const [lots, balances] = await Promise.all([
      this.lots.ofStudent(viewer.userId),
      this.ledger.balancesOf(viewer.userId),
    ]);
    const of = (account: string) => balances.find((b) => b.account === account)?.balance ?? 0;
    return lots.map((lot) => ({
      lot,
      available: of(Accounts.creditsAvailable(lot.id, lot.studentId).id),
      reserved: of(Accounts.creditsReserved(lot.id, lot.studentId).id),
      used: of(Accounts.creditsUsed(lot.id, lot.studentId).id),
      expired: of(Accounts.creditsExpired(lot.id, lot.studentId).id),
      refunded: of(Accounts.creditsRefunded(lot.id, lot.studentId).id),
    }));
  }

  /** A teacher's earnings in [from, to), per currency: the payout report of the period. */
  async earnings(viewer: Viewer, from: Date, to: Date): Promise<EarningsLine[]> {
    if (to <= from) throw ValidationFailedError.field('to', 'to must be after from');
    if (to.getTime() - from.getTime() > 366 * 86_400_000)
      throw ValidationFailedError.field('to', 'a report covers at most 366 days');
    const accounts = (await this.ledger.balancesOf(viewer.userId)).filter((b) => b.account.startsWith('earnings:'));
    const lines = await Promise.all(
      accounts.map(async (acct) => {
        const entries = await this.ledger.entries(acct.account, from.toISOString(), to.toISOString());
        const earned = entries.filter((e) => e.side === 'CREDIT').reduce((s, e) => s + e.amount, 0);
        const refunded = entries.filter((e) => e.side === 'DEBIT').reduce((s, e) => s + e.amount, 0);
        return {
          currency: acct.unit,
          earnedMinor: earned,
          refundedMinor: refunded,
          netMinor: earned - refunded,
          balanceMinor: acct.balance,
          entries: entries.length,
        };
      }),
    );
    return lines.sort((a, b) => a.currency.localeCompare(b.currency));
  }

  /**
   * An admin gives money back: part of a captured card payment (teacher and platform return their
   * shares), or a package's unused credits (withdrawn; their value). The provider sends it next.
   */
  async refund(viewer: Viewer, paymentId: string, amountMinor: number | undefined, reason: string, key: string) {
    return this.idempotency.runStandalone(
      { caller: viewer.userId, key, operation: 'refundPayment', input: { paymentId, amountMinor, reason } },
      {
        execute: () => this.startRefund(viewer, paymentId, amountMinor, reason),
        resultOf: (p) => ({ id: p.id }),
        replay: ({ id }) => this.payments.get(id),
      },
    );
  }

  private async startRefund(viewer: Viewer, paymentId: string, amountMinor: number | undefined, reason: string) {
    const payment = await this.payments.get(paymentId);
    if (!payment) throw new NotFoundError('Payment', paymentId);
    const now = this.clock.now().toISOString();
    const lineId = `${payment.id}-R${payment.refunds.length + 1}`;
    const line = (amount: number) => ({
      id: lineId,
      amountMinor: amount,
      reason,
      by: viewer.userId,
      at: now,
      status: 'DUE' as const,
      viaPaymentId: payment.id,
    });
    if (payment.kind === PaymentKind.PACKAGE) {
      if (payment.state !== PaymentState.CAPTURED)
        throw new ConflictError('Only a paid package can be refunded', {
          reason: 'NOT_PAID',
          currentStatus: payment.state,
        });
      const lot = await this.lots.get(payment.lotId!);
      const available = lot ? await this.ledger.balance(Accounts.creditsAvailable(lot.id, lot.studentId).id) : 0;
      if (!lot || available === 0)
        throw new ConflictError('This package has no unused credits to refund', { reason: 'NO_UNUSED_CREDITS' });
      const value = creditValue(lot.priceMinor, lot.credits, lot.settledCredits, available);
      if (amountMinor !== undefined && amountMinor !== value)
        throw ValidationFailedError.field(
          'amountMinor',
          `a package refund returns its ${available} unused credits, worth ${value}`,
        );
      const next = this.bump(payment, { refunds: [...payment.refunds, line(value)] });
      await this.payments.write([
        this.payments.updatePart(payment, next),
        this.lots.updatePart(lot, { ...lot, settledCredits: lot.settledCredits + available, version: lot.version + 1 }),
        ...this.ledger.parts(this.billing.postings.creditsRefunded(lot, lineId, available, value, now)),
      ]);
      return (await this.sync.sync(payment.id)) ?? next;
    }
    if (payment.method !== PaymentMethod.CARD || payment.state !== PaymentState.CAPTURED)
      throw new ConflictError('Only a captured card payment can be refunded', {
        reason: 'NOT_CAPTURED',
        currentStatus: payment.state,
      });
    const promised = payment.refunds.reduce((s, r) => s + r.amountMinor, 0);
    const left = payment.provider.capturedMinor - promised;
    const amount = amountMinor ?? left;
    if (amount < 1 || amount > left)
      throw ValidationFailedError.field('amountMinor', `at most ${left} of this payment can still be refunded`);
    const next = this.bump(payment, { refunds: [...payment.refunds, line(amount)] });
    await this.payments.write([
      this.payments.updatePart(payment, next),
      ...this.ledger.parts(this.billing.postings.paymentRefunded(payment, lineId, amount, now)),
    ]);
    return (await this.sync.sync(payment.id)) ?? next;
  }

  private bump(p: Payment, changes: Partial<Payment>): Payment {
    return { ...p, ...changes, version: p.version + 1, updatedAt: this.clock.now().toISOString() };
  }
}
