import type { Viewer } from '../auth/viewer';
import type { CreditBalance, EarningsLine } from './payments.service';
import { LessonPackageModel, CreditLotModel, EarningsModel, PaymentModel } from './models/payment.model';
import { LessonPackage, Payment, PaymentState } from './payment.types';

export function presentPayment(p: Payment, viewer: Viewer | null): PaymentModel {
  const money = (amountMinor: number) => ({ amountMinor, currency: p.currency });
  const awaiting = p.state === PaymentState.AWAITING_AUTHORISATION;
  return {
    id: p.id,
    kind: p.kind,
    method: p.method,
    state: p.state,
    studentId: p.studentId,
    teacherId: p.teacherId,
    amount: money(p.amountMinor),
    charged: money(p.chargedMinor),
    captured: money(p.provider.capturedMinor),
    refunded: money(p.refundedMinor),
    refunds: p.refunds.map((r) => ({
      id: r.id,
      amount: money(r.amountMinor),
      reason: r.reason,
      status: r.status,
      at: new Date(r.at),
    })),
    feePercent: p.feePercent,
    lessonId: p.lessonId,
    creditId: p.lotId,
    // The secret lets its holder confirm the card: the payer's alone, and only while it is needed.
    clientSecret: viewer?.userId === p.studentId && awaiting ? (p.provider.clientSecret ?? null) : null,
    description: p.description,
    createdAt: new Date(p.createdAt),
    updatedAt: new Date(p.updatedAt),
  };
}

export function presentPackage(p: LessonPackage): LessonPackageModel {
  const undiscounted = p.singlePriceMinor * p.credits;
  return {
    id: p.id,
    teacherId: p.teacherId,
    name: p.name,
    durationMinutes: p.durationMinutes,
    credits: p.credits,
    price: { amountMinor: p.priceMinor, currency: p.currency },
    discountPercent: Math.max(0, Math.floor(((undiscounted - p.priceMinor) * 100) / undiscounted)),
    validityMonths: p.validityMonths,
    lateCancellation: p.lateCancellation,
    active: p.active,
  };
}

export function presentCredits(c: CreditBalance, now: Date, noticeDays: number): CreditLotModel {
  const expiresAt = new Date(c.lot.expiresAt);
  return {
    id: c.lot.id,
    teacherId: c.lot.teacherId,
    packageId: c.lot.packageId,
    durationMinutes: c.lot.durationMinutes,
    credits: c.lot.credits,
    available: c.available,
    reserved: c.reserved,
    used: c.used,
    expired: c.expired,
    refunded: c.refunded,
    expiresAt,
    expiringSoon: c.available > 0 && expiresAt.getTime() - now.getTime() < noticeDays * 86_400_000 && expiresAt > now,
  };
}

export function presentEarnings(e: EarningsLine): EarningsModel {
  const money = (amountMinor: number) => ({ amountMinor, currency: e.currency });
  return {
    currency: e.currency,
    earned: money(e.earnedMinor),
    refunded: money(e.refundedMinor),
    net: money(e.netMinor),
    balance: money(e.balanceMinor),
    entries: e.entries,
  };
}
