import Stripe from 'stripe';
import { createAccount, startTestApp, TestApp } from '@app/testing';
import { LessonExpiryJob } from '../src/bookings/lesson-expiry.job';
import {
  balanceOf,
  confirmCard,
  freshStart,
  LESSON_PAYMENT,
  ledgerAudit,
  Market,
  market,
  MY_CREDITS,
  paidPackage,
  PAYMENT_FIELDS,
  requestLesson,
  settle,
} from './payments-support';

const HOUR = 3_600_000;
const WEBHOOK_SECRET = 'whsec_payments_lifecycle_test';
const CONFIRM = `mutation($id: ID!) { confirmLesson(id: $id) { id status } }`;
const DECLINE = `mutation($id: ID!) { declineLesson(id: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelLesson(id: $id, reason: "cannot") { id status cancellation { late feePercent } } }`;
const COMPLETE = `mutation($id: ID!) { completeLesson(id: $id) { id status } }`;
const NO_SHOW = `mutation($id: ID!) { markNoShow(id: $id) { id status } }`;
const RESCHEDULE = `mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { id status start } }`;
const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

/**
 * Every lifecycle path moves exactly the money the teacher's policy says (10 % platform fee, 50 %
 * late fee, 24 h notice, 60-minute lessons at 45.00 EUR, packages of 5 at 40.50 EUR each), for
 * package credits and for card payments against localstripe; the race for a package's last credit;
 * bad input writes nothing.
 */
describe('payments: lifecycle paths', () => {
  let t: TestApp;
  let m: Market;

  beforeAll(async () => {
    t = await startTestApp({
      config: { JOBS_ENABLED: 'false', AUTH_RATE_LIMIT_PER_IP: '10000', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    });
    m = await market(t);
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => t?.close());

  const payment = async (lessonId: string) => {
    await settle(t);
    return (await m.student.gql.ok(LESSON_PAYMENT, { id: lessonId })).lessonPayment;
  };
  const earnings = () => balanceOf(t, `earnings:${m.teacher.id}:EUR`);
  const credits = async (lotId: string) =>
    (await m.student.gql.ok(MY_CREDITS)).myCredits.find((c: { id: string }) => c.id === lotId);
  const afterEnd = (start: Date) => t.clock.advance(start.getTime() + 2 * HOUR - t.clock.now().getTime());
  const insideNotice = (start: Date) => t.clock.advance(start.getTime() - 10 * HOUR - t.clock.now().getTime());

  it('a package is paid once and its credits issued; its lessons reserve, release and consume credits by the policy', async () => {
    const { lotId } = await paidPackage(t, m, { credits: 5, priceMinor: 20250 });
    expect(await credits(lotId)).toMatchObject({ available: 5, reserved: 0, used: 0, credits: 5 });
    expect(await balanceOf(t, `prepaid:${lotId}`)).toBe(20250);

    // Reserve with the lesson; a timely cancel and a decline give it back; a reschedule keeps it.
    const a = await requestLesson(m, freshStart(40), lotId);
    expect(await credits(lotId)).toMatchObject({ available: 4, reserved: 1 });
    expect((await payment(a.id)).state).toBe('RESERVED');
    await m.student.gql.ok(RESCHEDULE, { input: { lessonId: a.id, start: freshStart(40).toISOString() } });
    expect(await credits(lotId)).toMatchObject({ available: 4, reserved: 1 });
    await m.student.gql.ok(CANCEL, { id: a.id });
    expect(await credits(lotId)).toMatchObject({ available: 5, reserved: 0 });
    expect((await payment(a.id)).state).toBe('RELEASED');

    const b = await requestLesson(m, freshStart(40), lotId);
    await m.teacher.gql.ok(DECLINE, { id: b.id });
    expect(await credits(lotId)).toMatchObject({ available: 5, reserved: 0 });

    // Completion consumes: the teacher earns the credit's value (4050) less 10 %.
    const before = await earnings();
    const startC = freshStart(40);
    const c = await requestLesson(m, startC, lotId);
    await m.teacher.gql.ok(CONFIRM, { id: c.id });
    afterEnd(startC);
    await m.teacher.gql.ok(COMPLETE, { id: c.id });
    expect(await credits(lotId)).toMatchObject({ available: 4, reserved: 0, used: 1 });
    expect(await earnings()).toBe(before + 4050 - 405);
    expect(await payment(c.id)).toMatchObject({ state: 'CONSUMED', charged: { amountMinor: 4050 } });
    t.clock.reset();

    // A late cancellation under CONSUME_CREDIT uses the whole credit.
    const startD = freshStart(40);
    const d = await requestLesson(m, startD, lotId);
    await m.teacher.gql.ok(CONFIRM, { id: d.id });
    insideNotice(startD);
    const cancelled = (await m.student.gql.ok(CANCEL, { id: d.id })).cancelLesson;
    expect(cancelled.cancellation).toEqual({ late: true, feePercent: 50 });
    expect(await credits(lotId)).toMatchObject({ available: 3, used: 2 });
    expect(await earnings()).toBe(before + 2 * (4050 - 405));

    // Expiry of a request releases.
    t.clock.reset();
    const e = await requestLesson(m, freshStart(40), lotId);
    t.clock.advance(25 * HOUR);
    await t.app.get(LessonExpiryJob).sweep();
    expect((await payment(e.id)).state).toBe('RELEASED');
    expect(await credits(lotId)).toMatchObject({ available: 3, reserved: 0 });
  });

  it('under CHARGE_FEE a late cancellation or no-show earns the fee percent of the credit and refunds the rest', async () => {
    const { lotId, paymentId } = await paidPackage(t, m, {
      credits: 4,
      priceMinor: 16000,
      lateCancellation: 'CHARGE_FEE',
    });
    const before = await earnings();
    const start = freshStart(40);
    const lesson = await requestLesson(m, start, lotId);
    await m.teacher.gql.ok(CONFIRM, { id: lesson.id });
    afterEnd(start);
    await m.teacher.gql.ok(NO_SHOW, { id: lesson.id });
    const p = await payment(lesson.id);
    // Credit value 4000: 50 % earned (2000, less 10 % fee), 2000 refunded to the package's card.
    expect(p).toMatchObject({ state: 'CONSUMED', charged: { amountMinor: 2000 }, refunded: { amountMinor: 2000 } });
    expect(p.refunds).toEqual([expect.objectContaining({ status: 'SENT', amount: { amountMinor: 2000 } })]);
    expect(await earnings()).toBe(before + 2000 - 200);
    expect(await balanceOf(t, `refunds-due:${m.student.id}:EUR`)).toBe(0);
    const refunds = await browserStripeRefunds(paymentId);
    expect(refunds).toEqual([2000]);
  });

  async function browserStripeRefunds(paymentId: string): Promise<number[]> {
    const stored = (await m.student.gql.ok(`query($id: ID!) { payment(id: $id) { id } }`, { id: paymentId })).payment;
    expect(stored.id).toBe(paymentId);
    const { PaymentsRepository } = await import('../src/payments/payments.repository');
    const p = await t.app.get(PaymentsRepository).get(paymentId);
    const stripe = new Stripe('sk_test_x', {
      host: new URL(process.env.STRIPE_API_BASE!).hostname,
      port: new URL(process.env.STRIPE_API_BASE!).port,
      protocol: 'http',
    });
    const list = await stripe.refunds.list({ payment_intent: p!.provider.paymentIntentId! });
    return list.data.map((r) => r.amount);
  }

  it('two bookings racing for the last credit: exactly one gets it, the other is told why and nothing is written for it', async () => {
    const { lotId } = await paidPackage(t, m, { credits: 2, priceMinor: 8000 });
    await requestLesson(m, freshStart(40), lotId);
    const [s1, s2] = [freshStart(40), freshStart(40)];
    const req = (start: Date) =>
      m.student.gql.request(`mutation($input: RequestLessonInput!) { requestLesson(input: $input) { id } }`, {
        input: {
          teacherId: m.teacher.id,
          start: start.toISOString(),
          durationMinutes: 60,
          format: 'ONLINE',
          creditId: lotId,
        },
      });
    const results = await Promise.all([req(s1), req(s2)]);
    const won = results.filter((r) => r.data?.requestLesson);
    const lost = results.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(code(lost[0])).toBe('CONFLICT');
    expect(lost[0].errors![0].message).toMatch(/No credit is left/);
    expect(await credits(lotId)).toMatchObject({ available: 0, reserved: 2 });
    const lostStart = results[0].errors ? s1 : s2;
    const mine = await m.student.gql.ok(`query { myLessons(as: AS_STUDENT, first: 100) { edges { node { start } } } }`);
    expect(mine.myLessons.edges.map((e: any) => e.node.start)).not.toContain(lostStart.toISOString());
    const again = await req(freshStart(40));
    expect(code(again)).toBe('CONFLICT');
  });

  it('credits that are not usable are refused with the reason, and nothing is written', async () => {
    const { lotId } = await paidPackage(t, m, { credits: 2, priceMinor: 8000, validityMonths: 1 });
    const other = await market(t);
    const theirs = await paidPackage(t, other, { credits: 2, priceMinor: 8000 });
    const attempt = (creditId: string, who = m, start = freshStart(40)) =>
      who.student.gql.request(`mutation($input: RequestLessonInput!) { requestLesson(input: $input) { id } }`, {
        input: {
          teacherId: who.teacher.id,
          start: start.toISOString(),
          durationMinutes: 60,
          format: 'ONLINE',
          creditId,
        },
      });
    const someoneElses = await attempt(theirs.lotId);
    expect(code(someoneElses)).toBe('BAD_USER_INPUT');
    expect(someoneElses.errors![0].extensions!.fields).toEqual([
      { field: 'input.creditId', message: 'you have no credits with this id' },
    ]);
    t.clock.advance(40 * 86_400_000);
    const expired = await attempt(lotId, m, new Date(freshStart(40).getTime() + 40 * 86_400_000));
    expect(code(expired)).toBe('BAD_USER_INPUT');
    expect(expired.errors![0].message).toMatch(/expired/);
    t.clock.reset();
    expect(await credits(lotId)).toMatchObject({ available: 2, reserved: 0 });

    // Package input: another currency, an absurd price, buying one's own.
    const bad = await m.teacher.gql.request(
      `mutation($input: UpsertPackageInput!) { upsertPackage(input: $input) { id } }`,
      {
        input: {
          name: 'x5',
          durationMinutes: 60,
          credits: 5,
          amountMinor: 99999999,
          currency: 'USD',
          validityMonths: 6,
        },
      },
    );
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(['input.currency', 'input.amountMinor']);
    const negative = await m.teacher.gql.request(
      `mutation($input: UpsertPackageInput!) { upsertPackage(input: $input) { id } }`,
      { input: { name: 'x5', durationMinutes: 60, credits: 5, amountMinor: -5, currency: 'EUR', validityMonths: 6 } },
    );
    expect(code(negative)).toBe('BAD_USER_INPUT');
    const own = (
      await m.teacher.gql.ok(`query($id: ID!) { teacherPackages(teacherId: $id) { id } }`, { id: m.teacher.id })
    ).teacherPackages[0].id;
    const buyOwn = await m.teacher.gql.request(
      `mutation($id: ID!) { buyPackage(packageId: $id, idempotencyKey: "k") { id } }`,
      { id: own },
    );
    expect(code(buyOwn)).toBe('BAD_USER_INPUT');
  });

  it('pay per lesson: authorised on request, captured on completion, partially for a late fee, released otherwise', async () => {
    const fees = () => balanceOf(t, 'fees:EUR');
    const [e0, f0, c0] = [await earnings(), await fees(), await balanceOf(t, 'clearing:EUR')];

    // Completion: 4500 captured; the teacher earns 4050, the platform 450.
    const s1 = freshStart(40);
    const l1 = await requestLesson(m, s1);
    const p1 = await payment(l1.id);
    expect(p1).toMatchObject({
      method: 'CARD',
      state: 'AWAITING_AUTHORISATION',
      amount: { amountMinor: 4500, currency: 'EUR' },
    });
    expect(p1.clientSecret).toMatch(/_secret_/);
    await confirmCard(p1.clientSecret);
    expect((await payment(l1.id)).state).toBe('AUTHORISED');
    await m.teacher.gql.ok(CONFIRM, { id: l1.id });
    afterEnd(s1);
    await m.teacher.gql.ok(COMPLETE, { id: l1.id });
    expect(await payment(l1.id)).toMatchObject({ state: 'CAPTURED', captured: { amountMinor: 4500 } });
    expect(await earnings()).toBe(e0 + 4050);
    expect(await fees()).toBe(f0 + 450);
    t.clock.reset();

    // A late cancellation captures the 50 % fee only.
    const s2 = freshStart(40);
    const l2 = await requestLesson(m, s2);
    await confirmCard((await payment(l2.id)).clientSecret);
    await m.teacher.gql.ok(CONFIRM, { id: l2.id });
    insideNotice(s2);
    await m.student.gql.ok(CANCEL, { id: l2.id });
    expect(await payment(l2.id)).toMatchObject({
      state: 'CAPTURED',
      charged: { amountMinor: 2250 },
      captured: { amountMinor: 2250 },
      feePercent: 50,
    });
    expect(await earnings()).toBe(e0 + 4050 + 2025);
    t.clock.reset();

    // A timely cancellation and a decline release the hold; nothing is captured.
    const l3 = await requestLesson(m, freshStart(40));
    await confirmCard((await payment(l3.id)).clientSecret);
    await m.student.gql.ok(CANCEL, { id: l3.id });
    const l4 = await requestLesson(m, freshStart(40));
    await confirmCard((await payment(l4.id)).clientSecret);
    await m.teacher.gql.ok(DECLINE, { id: l4.id });
    for (const id of [l3.id, l4.id])
      expect(await payment(id)).toMatchObject({ state: 'RELEASED', captured: { amountMinor: 0 } });
    expect(await balanceOf(t, 'clearing:EUR')).toBe(c0 + 4500 + 2250);

    // A no-show captures the late fee; the teacher who never reports is charged in full at the deadline.
    const s5 = freshStart(40);
    const l5 = await requestLesson(m, s5);
    await confirmCard((await payment(l5.id)).clientSecret);
    await m.teacher.gql.ok(CONFIRM, { id: l5.id });
    afterEnd(s5);
    await m.teacher.gql.ok(NO_SHOW, { id: l5.id });
    expect(await payment(l5.id)).toMatchObject({ state: 'CAPTURED', captured: { amountMinor: 2250 } });
  });

  it("a lesson change racing its payment's provider sync still goes through (the money side is planned again)", async () => {
    const { PaymentSync } = await import('../src/payments/payment-sync.service');
    const sync = t.app.get(PaymentSync);
    const lessons = [];
    for (let i = 0; i < 3; i++) lessons.push(await requestLesson(m, freshStart(40)));
    // No settle: the outbox consumer and these syncs create the PaymentIntents while the cancels run.
    const results = await Promise.all(
      lessons.flatMap((l) => [
        m.student.gql.request(CANCEL, { id: l.id }),
        sync.sync(`L-${l.id}`).then(() => null),
        sync.sync(`L-${l.id}`).then(() => null),
      ]),
    );
    for (const res of results.filter((r) => r !== null)) expect(res.errors).toBeUndefined();
    for (const l of lessons) expect((await payment(l.id)).state).toBe('RELEASED');
  });

  it('an admin refunds a card payment in parts and a package’s unused credits, once per key, never more than was paid', async () => {
    const admin = await createAccount(t, 'ADMIN');
    const REFUND = `mutation($id: ID!, $amount: Int, $key: String!) {
      refundPayment(paymentId: $id, amountMinor: $amount, reason: "goodwill", idempotencyKey: $key) { ${PAYMENT_FIELDS} } }`;
    const refund = (as: typeof admin, id: string, key: string, amount?: number) =>
      as.gql.request<{ refundPayment: any }>(REFUND, { id, key, amount });

    // A completed card lesson (4500 captured): 1000 back, then the rest; a third refund finds nothing left.
    const start = freshStart(40);
    const lesson = await requestLesson(m, start);
    await confirmCard((await payment(lesson.id)).clientSecret);
    await m.teacher.gql.ok(CONFIRM, { id: lesson.id });
    afterEnd(start);
    await m.teacher.gql.ok(COMPLETE, { id: lesson.id });
    const paid = await payment(lesson.id);
    expect(paid).toMatchObject({ state: 'CAPTURED', captured: { amountMinor: 4500 } });

    expect(code(await refund(m.student, paid.id, 'by-student', 1000))).toBe('FORBIDDEN');
    expect(code(await refund(m.teacher, paid.id, 'by-teacher', 1000))).toBe('FORBIDDEN');
    const tooMuch = await refund(admin, paid.id, 'too-much', 4501);
    expect(tooMuch.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(tooMuch.errors)).toContain('at most 4500');

    const first = await refund(admin, paid.id, 'part-1', 1000);
    expect(first.errors).toBeUndefined();
    const replay = await refund(admin, paid.id, 'part-1', 1000);
    expect(replay.data!.refundPayment.id).toBe(paid.id);
    const rest = await refund(admin, paid.id, 'part-2');
    expect(rest.errors).toBeUndefined();
    const refunded = await payment(lesson.id);
    expect(refunded).toMatchObject({ refunded: { amountMinor: 4500 } });
    expect(refunded.refunds.map((r: any) => [r.status, r.amount.amountMinor])).toEqual([
      ['SENT', 1000],
      ['SENT', 3500],
    ]);
    expect((await refund(admin, paid.id, 'part-3', 1)).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await browserStripeRefunds(paid.id)).toEqual(expect.arrayContaining([1000, 3500]));

    // A package of 4 (16000) with one credit reserved: the 3 unused ones come back, worth 12000.
    const { lotId, paymentId } = await paidPackage(t, m, { credits: 4, priceMinor: 16000 });
    await requestLesson(m, freshStart(40), lotId);
    const wrongAmount = await refund(admin, paymentId, 'pkg-wrong', 5000);
    expect(JSON.stringify(wrongAmount.errors)).toContain('3 unused credits, worth 12000');
    const pkg = await refund(admin, paymentId, 'pkg');
    expect(pkg.errors).toBeUndefined();
    await settle(t);
    expect(await credits(lotId)).toMatchObject({ available: 0, reserved: 1, refunded: 3 });
    expect(await browserStripeRefunds(paymentId)).toEqual([12000]);
    const again = await refund(admin, paymentId, 'pkg-again');
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NO_UNUSED_CREDITS' });
  });

  it('the ledger balances to zero per unit and no balance is negative', async () => {
    await settle(t);
    const audit = await ledgerAudit(t);
    expect(audit.negative).toEqual([]);
    for (const [, sum] of audit.sums) expect(sum).toBe(0);
    expect(audit.balances.length).toBeGreaterThan(10);
  });

  it('a payment is visible to its payer, teacher and admins only', async () => {
    const lesson = await requestLesson(m, freshStart(40));
    const stranger = await market(t);
    const res = await stranger.student.gql.request(
      `query($id: ID!) { lessonPayment(lessonId: $id) { ${PAYMENT_FIELDS} } }`,
      { id: lesson.id },
    );
    expect(code(res)).toBe('FORBIDDEN');
    const teacherView = (await m.teacher.gql.ok(LESSON_PAYMENT, { id: lesson.id })).lessonPayment;
    expect(teacherView.clientSecret).toBeNull();
  });
});
