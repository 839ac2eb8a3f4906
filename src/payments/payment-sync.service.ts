import { Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { UsersService } from '../users/users.service';
import { CreditLotsRepository } from './credit-lots.repository';
import { LedgerRepository } from './ledger/ledger.repository';
import { LessonBillingService } from './lesson-billing.service';
import { addMonths } from './calendar-months';
import { CreditLot, Payment, PaymentKind, PaymentMethod, PaymentState, RefundLine } from './payment.types';
import { PaymentChangedError, PaymentsRepository } from './payments.repository';
import { PaymentProvider, ProviderPayment, ProviderRefusedError } from './provider/payment-provider';

const CANCELLABLE = new Set([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
]);
const NOT_AUTHORISED = new Set(['requires_payment_method', 'requires_confirmation', 'requires_action', 'canceled']);
const ATTEMPTS = 4;

/**
 * Brings the provider in line with a payment's intent and the ledger in line with the provider:
 * creates the provider payment (client secret for the card), captures what the lesson's terms
 * charge, releases holds, sends refunds; and posts the captures, purchases and refunds the
 * provider confirmed. Safe to run any number of times, concurrently, in any order (outbox
 * consumer, webhooks, jobs, reads): provider calls carry idempotency keys per operation, and
 * every posting's id is derived from what it settles, so nothing is written twice.
 */
@Injectable()
export class PaymentSync {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly lots: CreditLotsRepository,
    private readonly ledger: LedgerRepository,
    private readonly billing: LessonBillingService,
    private readonly provider: PaymentProvider,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  async sync(paymentId: string): Promise<Payment | null> {
    for (let attempt = 1; ; attempt++) {
      const payment = await this.payments.get(paymentId);
      if (!payment) return null;
      try {
        return await this.step(payment);
      } catch (err) {
        // Someone else moved it meanwhile: look again (bounded; the caller's retry covers the rest).
        if (!(err instanceof PaymentChangedError) || attempt >= ATTEMPTS) throw err;
      }
    }
  }

  private async step(payment: Payment): Promise<Payment> {
    let p = payment;
    if (p.method === PaymentMethod.CARD)
      p = p.kind === PaymentKind.PACKAGE ? await this.package(p) : await this.lesson(p);
    return this.refunds(p);
  }

  private async package(p: Payment): Promise<Payment> {
    if (p.state === PaymentState.CAPTURED) return p;
    if (!p.provider.paymentIntentId) return this.createProviderPayment(p, false);
    const pi = await this.provider.retrieve(p.provider.paymentIntentId);
    if (pi.status !== 'succeeded') return this.observe(p, pi);
    const now = this.clock.now();
    const lot: CreditLot = {
      id: p.lotId!,
      studentId: p.studentId,
      teacherId: p.teacherId,
      packageId: p.packageId!,
      paymentId: p.id,
      durationMinutes: p.durationMinutes!,
      credits: p.credits!,
      priceMinor: p.amountMinor,
      currency: p.currency,
      lateCancellation: p.lateCancellation!,
      settledCredits: 0,
      expiresAt: addMonths(now, p.validityMonths!).toISOString(),
      createdAt: now.toISOString(),
      version: 1,
    };
    const next: Payment = {
      ...p,
      state: PaymentState.CAPTURED,
      chargedMinor: p.amountMinor,
      provider: { ...p.provider, status: pi.status, capturedMinor: pi.receivedMinor },
      version: p.version + 1,
      updatedAt: now.toISOString(),
    };
    await this.payments.write([
      this.payments.updatePart(p, next),
      this.lots.createPart(lot),
      ...this.ledger.parts(this.billing.postings.packagePaid(lot, now.toISOString())),
    ]);
    return next;
  }

  private async lesson(p: Payment): Promise<Payment> {
    if (!p.provider.paymentIntentId) {
      // A hold not yet at the provider: created now; released or never-authorised charges need none.
      if (p.intent === 'HOLD') return this.createProviderPayment(p, true);
      if (p.intent === 'CAPTURE' && p.state === PaymentState.CAPTURE_PENDING)
        return this.save(p, { state: PaymentState.CAPTURE_FAILED });
      return p;
    }
    let pi = await this.provider.retrieve(p.provider.paymentIntentId);
    if (p.intent === 'RELEASE' && CANCELLABLE.has(pi.status)) pi = await this.cancel(pi, p);
    if (p.intent === 'CAPTURE' && pi.status === 'requires_capture' && p.provider.capturedMinor === 0)
      pi = await this.capture(pi, p);
    if (p.intent === 'CAPTURE' && pi.status === 'succeeded' && p.provider.capturedMinor === 0) {
      const now = this.clock.now().toISOString();
      const captured = Math.min(pi.receivedMinor || p.chargedMinor, p.chargedMinor);
      const next: Payment = {
        ...p,
        state: PaymentState.CAPTURED,
        provider: { ...p.provider, status: pi.status, capturedMinor: captured },
        version: p.version + 1,
        updatedAt: now,
      };
      await this.payments.write([
        this.payments.updatePart(p, next),
        ...this.ledger.parts(this.billing.postings.chargeCaptured(p, captured, now)),
      ]);
      return next;
    }
    if (p.intent === 'CAPTURE' && p.state === PaymentState.CAPTURE_PENDING && NOT_AUTHORISED.has(pi.status))
      return this.save(p, { state: PaymentState.CAPTURE_FAILED, provider: { ...p.provider, status: pi.status } });
    if (p.intent === 'CAPTURE' && p.state === PaymentState.CAPTURE_FAILED && pi.status === 'requires_capture')
      return this.lesson(await this.save(p, { state: PaymentState.CAPTURE_PENDING }));
    return this.observe(p, pi);
  }

  /** Records what the provider says without moving money (authorised, cancelled, still waiting). */
  private async observe(p: Payment, pi: ProviderPayment): Promise<Payment> {
    const authorised =
      p.kind === PaymentKind.LESSON && p.intent === 'HOLD' && pi.status === 'requires_capture'
        ? PaymentState.AUTHORISED
        : p.kind === PaymentKind.LESSON &&
            p.intent === 'HOLD' &&
            p.state === PaymentState.AUTHORISED &&
            NOT_AUTHORISED.has(pi.status)
          ? PaymentState.AWAITING_AUTHORISATION
          : p.state;
    if (pi.status === p.provider.status && authorised === p.state) return p;
    return this.save(p, { state: authorised, provider: { ...p.provider, status: pi.status } });
  }

  private async createProviderPayment(p: Payment, manualCapture: boolean): Promise<Payment> {
    const customerId = p.provider.customerId ?? (await this.customerFor(p.studentId));
    const pi = await this.provider.createPayment({
      paymentId: p.id,
      amountMinor: p.amountMinor,
      currency: p.currency,
      customerId,
      manualCapture,
      description: p.description,
    });
    await this.payments.putProviderRef(pi.id, p.id);
    return this.save(p, {
      provider: {
        ...p.provider,
        customerId,
        paymentIntentId: pi.id,
        clientSecret: pi.clientSecret ?? undefined,
        status: pi.status,
      },
    });
  }

  private async customerFor(userId: string): Promise<string> {
    const known = await this.payments.customerOf(userId);
    if (known) return known;
    const account = await this.users.credentialsById(userId);
    const created = await this.provider.createCustomer(userId, account?.user.email);
    return this.payments.putCustomer(userId, created);
  }

  private async capture(pi: ProviderPayment, p: Payment): Promise<ProviderPayment> {
    try {
      return await this.provider.capture(pi.id, p.chargedMinor, `capture-${p.id}`);
    } catch (err) {
      // Captured by a concurrent attempt, or released: the provider's state decides what follows.
      if (err instanceof ProviderRefusedError) return this.provider.retrieve(pi.id);
      throw err;
    }
  }

  private async cancel(pi: ProviderPayment, p: Payment): Promise<ProviderPayment> {
    try {
      return await this.provider.cancel(pi.id, `cancel-${p.id}`);
    } catch (err) {
      if (err instanceof ProviderRefusedError) return this.provider.retrieve(pi.id);
      throw err;
    }
  }

  /** Sends every refund that is due, once its provider payment has captured the money. */
  private async refunds(p: Payment): Promise<Payment> {
    let current = p;
    for (const line of p.refunds.filter((r) => r.status === 'DUE')) {
      const via = line.viaPaymentId === current.id ? current : await this.payments.get(line.viaPaymentId);
      if (!via?.provider.paymentIntentId || via.provider.capturedMinor === 0) continue;
      const refund = line.providerRefundId
        ? await this.provider.retrieveRefund(line.providerRefundId)
        : await this.provider.refund(via.provider.paymentIntentId, line.amountMinor, `refund-${line.id}`);
      if (refund.status !== 'succeeded') {
        if (!line.providerRefundId)
          current = await this.save(current, { refunds: withLine(current, line.id, { providerRefundId: refund.id }) });
        continue;
      }
      const now = this.clock.now().toISOString();
      const refunds = withLine(current, line.id, { status: 'SENT', providerRefundId: refund.id });
      const next: Payment = {
        ...current,
        refunds,
        refundedMinor: refunds.filter((r) => r.status === 'SENT').reduce((s, r) => s + r.amountMinor, 0),
        version: current.version + 1,
        updatedAt: now,
      };
      await this.payments.write([
        this.payments.updatePart(current, next),
        ...this.ledger.parts(this.billing.postings.refundSent(current, line.id, line.amountMinor, now)),
      ]);
      current = next;
    }
    return current;
  }

  private async save(p: Payment, changes: Partial<Payment>): Promise<Payment> {
    const next: Payment = { ...p, ...changes, version: p.version + 1, updatedAt: this.clock.now().toISOString() };
    await this.payments.write([this.payments.updatePart(p, next)]);
    return next;
  }
}

function withLine(p: Payment, id: string, changes: Partial<RefundLine>): RefundLine[] {
  return p.refunds.map((r) => (r.id === id ? { ...r, ...changes } : r));
}
