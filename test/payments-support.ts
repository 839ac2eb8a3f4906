import Stripe from 'stripe';
import { createAccount, createTeacher, hoursFromNow, LESSON_FIELDS, TestAccount, TestApp } from '@app/testing';
import { LedgerRepository } from '../src/payments/ledger/ledger.repository';

export const PAYMENT_FIELDS = `id kind method state studentId teacherId lessonId creditId clientSecret feePercent
  amount { amountMinor currency } charged { amountMinor currency } captured { amountMinor currency }
  refunded { amountMinor currency } refunds { id status amount { amountMinor } }`;
export const REQUEST = `mutation($input: RequestLessonInput!, $key: String) { requestLesson(input: $input, idempotencyKey: $key) { ${LESSON_FIELDS} } }`;
export const UPSERT_PACKAGE = `mutation($input: UpsertPackageInput!) { upsertPackage(input: $input) { id name credits price { amountMinor currency } discountPercent validityMonths lateCancellation active } }`;
export const BUY = `mutation($id: ID!, $key: String!) { buyPackage(packageId: $id, idempotencyKey: $key) { ${PAYMENT_FIELDS} } }`;
export const MY_CREDITS = `{ myCredits { id available reserved used expired refunded credits expiresAt expiringSoon } }`;
export const LESSON_PAYMENT = `query($id: ID!) { lessonPayment(lessonId: $id) { ${PAYMENT_FIELDS} } }`;

/** A Stripe client acting as the student's browser would through Stripe.js, against localstripe. */
export function browserStripe(): Stripe {
  const base = new URL(process.env.STRIPE_API_BASE!);
  return new Stripe('sk_test_browser', {
    host: base.hostname,
    port: base.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}

/** Confirms a PaymentIntent with a test card, as Stripe.js confirmCardPayment(clientSecret) does. */
export async function confirmCard(clientSecret: string, card = '4242424242424242'): Promise<void> {
  const stripe = browserStripe();
  const pi = clientSecret.split('_secret_')[0];
  const pm = await stripe.paymentMethods.create({
    type: 'card',
    card: { number: card, exp_month: 12, exp_year: 2034, cvc: '123' },
  });
  await stripe.paymentIntents.update(pi, { payment_method: pm.id });
  await stripe.paymentIntents.confirm(pi);
}

/** Payments tests settle through the shared helper (outbox, jobs, sweeps). */
export { settle } from '@app/testing';

export interface Market {
  teacher: TestAccount;
  student: TestAccount;
}

export async function market(t: TestApp, policies: Record<string, number> = {}): Promise<Market> {
  const teacher = await createTeacher(t, {
    policies: { cancellationNoticeHours: 24, lateCancellationFeePercent: 50, ...policies },
  });
  const student = await createAccount(t, 'STUDENT');
  return { teacher, student };
}

/** A package of the teacher's 60-minute EUR offering (4500 a lesson), bought and paid by the student. */
export async function paidPackage(
  _t: TestApp,
  m: Market,
  opts: { credits?: number; priceMinor?: number; lateCancellation?: string; validityMonths?: number } = {},
): Promise<{ lotId: string; paymentId: string; packageId: string }> {
  const credits = opts.credits ?? 5;
  const pkg = (
    await m.teacher.gql.ok(UPSERT_PACKAGE, {
      input: {
        name: `${credits} lessons`,
        durationMinutes: 60,
        credits,
        amountMinor: opts.priceMinor ?? 4050 * credits,
        currency: 'EUR',
        validityMonths: opts.validityMonths ?? 6,
        lateCancellation: opts.lateCancellation ?? 'CONSUME_CREDIT',
      },
    })
  ).upsertPackage;
  const bought = (await m.student.gql.ok(BUY, { id: pkg.id, key: `buy-${pkg.id}` })).buyPackage;
  await confirmCard(bought.clientSecret);
  // The webhook may or may not have arrived yet: reading the payment brings it up to date.
  const paid = (await m.student.gql.ok(`query($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`, { id: bought.id }))
    .payment;
  if (paid.state !== 'CAPTURED') throw new Error(`package not paid: ${JSON.stringify(paid)}`);
  return { lotId: paid.creditId, paymentId: paid.id, packageId: pkg.id };
}

let nextHour = 50;
/** A start on the hour, far from every other one of this process. */
export const freshStart = (spacingHours = 3) => hoursFromNow((nextHour += spacingHours));

export async function requestLesson(m: Market, start: Date, creditId?: string) {
  return (
    await m.student.gql.ok(REQUEST, {
      input: {
        teacherId: m.teacher.id,
        start: start.toISOString(),
        durationMinutes: 60,
        format: 'ONLINE',
        ...(creditId ? { creditId } : {}),
      },
    })
  ).requestLesson;
}

/** Every balance of the ledger: sums per unit must be zero and none may be negative. */
export async function ledgerAudit(t: TestApp) {
  const balances = await t.app.get(LedgerRepository).allBalances();
  const sums = new Map<string, number>();
  for (const b of balances) sums.set(b.unit, (sums.get(b.unit) ?? 0) + (b.normal === 'DEBIT' ? b.balance : -b.balance));
  return { balances, sums, negative: balances.filter((b) => b.balance < 0) };
}

export async function balanceOf(t: TestApp, account: string): Promise<number> {
  return t.app.get(LedgerRepository).balance(account);
}
