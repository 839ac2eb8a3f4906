import Stripe from 'stripe';
import { startTestApp, TestApp } from '@app/testing';
import { PaymentsRepository } from '../src/payments/payments.repository';
import { LedgerRepository } from '../src/payments/ledger/ledger.repository';
import { BUY, browserStripe, confirmCard, market, Market, UPSERT_PACKAGE } from './payments-support';

const WEBHOOK_SECRET = 'whsec_payments_webhook_test';

/**
 * Webhooks: verified by signature; each event delivered twice and out of order leaves the same
 * ledger as one delivery in order; localstripe's own deliveries (its signature scheme is Stripe's)
 * are accepted and applied.
 */
describe('payments: Stripe webhooks', () => {
  let t: TestApp;
  let m: Market;
  let packageId: string;
  const stripe = browserStripe();

  beforeAll(async () => {
    t = await startTestApp({
      config: { JOBS_ENABLED: 'false', AUTH_RATE_LIMIT_PER_IP: '10000', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    });
    m = await market(t);
    packageId = (
      await m.teacher.gql.ok(UPSERT_PACKAGE, {
        input: {
          name: 'Five',
          durationMinutes: 60,
          credits: 5,
          amountMinor: 20000,
          currency: 'EUR',
          validityMonths: 6,
        },
      })
    ).upsertPackage.id;
  });
  afterAll(async () => t?.close());

  /** Buys the package and confirms the card, without reading the payment (which would sync it). */
  const purchase = async (key: string) => {
    const bought = (await m.student.gql.ok(BUY, { id: packageId, key })).buyPackage;
    await confirmCard(bought.clientSecret);
    const stored = await t.app.get(PaymentsRepository).get(bought.id);
    return { id: bought.id, pi: stored!.provider.paymentIntentId! };
  };

  /** The events Stripe sends for a paid PaymentIntent, signed as Stripe signs them. */
  const eventsFor = async (pi: string) => {
    const intent = await stripe.paymentIntents.retrieve(pi);
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const evt = (id: string, type: string, object: unknown) => ({
      id,
      object: 'event',
      type,
      created: now,
      api_version: '2024-06-20',
      data: { object },
    });
    return [
      evt(`evt_created_${pi}`, 'payment_intent.created', { ...intent, status: 'requires_payment_method' }),
      evt(`evt_charge_${pi}`, 'charge.succeeded', { id: `ch_${pi}`, object: 'charge', payment_intent: pi }),
      evt(`evt_succeeded_${pi}`, 'payment_intent.succeeded', intent),
    ];
  };

  const deliver = async (event: unknown, secret = WEBHOOK_SECRET) => {
    const payload = JSON.stringify(event);
    const header = stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: Math.floor(t.clock.now().getTime() / 1000),
    });
    return fetch(`${t.baseUrl}/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    });
  };

  /** The postings of a payment, as (kind, account, side, amount) without ids or times. */
  const ledgerOf = async (paymentId: string) => {
    const postings = await t.app.get(LedgerRepository).postingsOf(paymentId);
    return postings
      .flatMap((p) => p.legs.map((l) => `${p.kind} ${l.account.replace(/:[0-9A-Z]{26}/g, ':*')} ${l.side} ${l.amount}`))
      .sort();
  };

  it('a bad signature is refused with 400 and changes nothing', async () => {
    const { id, pi } = await purchase('wh-bad');
    const [, , succeeded] = await eventsFor(pi);
    const res = await deliver(succeeded, 'whsec_someone_else_entirely');
    expect(res.status).toBe(400);
    const unsigned = await fetch(`${t.baseUrl}/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(succeeded),
    });
    expect(unsigned.status).toBe(400);
    expect((await t.app.get(PaymentsRepository).get(id))!.state).toBe('AWAITING_AUTHORISATION');
    expect(await ledgerOf(id)).toEqual([]);
  });

  it('each event twice and out of order gives the same ledger as one delivery in order', async () => {
    const once = await purchase('wh-once');
    for (const e of await eventsFor(once.pi)) expect((await deliver(e)).status).toBe(200);
    const twice = await purchase('wh-twice');
    const events = await eventsFor(twice.pi);
    for (const e of [...events].reverse().concat(events, [events[2], events[0]]))
      expect((await deliver(e)).status).toBe(200);

    const expected = await ledgerOf(once.id);
    expect(expected).toEqual([
      'PACKAGE_PAID clearing:EUR DEBIT 20000',
      'PACKAGE_PAID credits-available:* CREDIT 5',
      'PACKAGE_PAID credits-issued:* DEBIT 5',
      'PACKAGE_PAID prepaid:* CREDIT 20000',
    ]);
    expect(await ledgerOf(twice.id)).toEqual(expected);
    const repo = t.app.get(PaymentsRepository);
    expect((await repo.get(twice.id))!.state).toBe('CAPTURED');
    expect((await repo.get(twice.id))!.version).toBe((await repo.get(once.id))!.version);
  });

  it("localstripe's own signed deliveries are verified and applied", async () => {
    const base = process.env.STRIPE_API_BASE!;
    const res = await fetch(`${base}/_config/webhooks/${t.names.table}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ url: `${t.baseUrl}/payments/stripe/webhook`, secret: WEBHOOK_SECRET }).toString(),
    });
    expect(res.status).toBe(200);
    const { id } = await purchase('wh-localstripe');
    const repo = t.app.get(PaymentsRepository);
    // localstripe sends payment_intent.succeeded about a second after the payment (bounded wait).
    for (let i = 0; i < 60 && (await repo.get(id))!.state !== 'CAPTURED'; i++)
      await new Promise((r) => setTimeout(r, 250));
    expect((await repo.get(id))!.state).toBe('CAPTURED');
    expect(await ledgerOf(id)).toHaveLength(4);
  });

  it('refuses to construct a verified event from a replayed old signature', async () => {
    const { pi } = await purchase('wh-old');
    const [, , succeeded] = await eventsFor(pi);
    const payload = JSON.stringify(succeeded);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(t.clock.now().getTime() / 1000) - 3600,
    });
    const res = await fetch(`${t.baseUrl}/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    });
    expect(res.status).toBe(400);
  });
});
