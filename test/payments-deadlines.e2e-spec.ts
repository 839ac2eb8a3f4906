import { EventEmitter2 } from '@nestjs/event-emitter';
import { mailsTo, startTestApp, TestApp, waitForMails, withTemplate } from '@app/testing';
import { LessonExpiryJob } from '../src/bookings/lesson-expiry.job';
import { CreditExpiry } from '../src/payments/credit-expiry.service';
import { LedgerRepository } from '../src/payments/ledger/ledger.repository';
import { PaymentFollowUp } from '../src/payments/payment-follow-up.consumer';
import { PaymentsRepository } from '../src/payments/payments.repository';
import { PaymentProvider, ProviderRefusedError } from '../src/payments/provider/payment-provider';
import {
  balanceOf,
  confirmCard,
  freshStart,
  LESSON_PAYMENT,
  Market,
  market,
  MY_CREDITS,
  paidPackage,
  requestLesson,
  settle,
} from './payments-support';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CONFIRM = `mutation($id: ID!) { confirmLesson(id: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelLesson(id: $id, reason: "cannot") { id status } }`;
const NO_SHOW = `mutation($id: ID!) { markNoShow(id: $id) { id status } }`;
const RESCHEDULE = `mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { id status } }`;
const EARNINGS = `query($from: DateTime!, $to: DateTime!) { myEarnings(from: $from, to: $to) {
  currency earned { amountMinor currency } refunded { amountMinor } net { amountMinor } balance { amountMinor } entries } }`;

/**
 * The paths driven by time (test clock, jobs run by hand): credits reported before they expire and
 * expired after; a card lesson the teacher never reports charged in full at the deadline (a later
 * no-show refunds the difference); a card request that expires or is moved; the teacher's earnings
 * report per period; a capture after a release refused by the provider with nothing written.
 * 10 % platform fee, 50 % late fee, 60-minute lessons at 45.00 EUR.
 */
describe('payments: expiry, deadlines and reports', () => {
  let t: TestApp;
  let m: Market;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false', AUTH_RATE_LIMIT_PER_IP: '10000' } });
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

  it('unused credits are reported once before they expire, then expire to the teacher (less the fee)', async () => {
    const { lotId } = await paidPackage(t, m, { credits: 4, priceMinor: 16000, validityMonths: 1 });
    // A confirmed lesson after the lot's expiry holds one credit through it.
    const used = await requestLesson(m, new Date(freshStart(40).getTime() + 45 * DAY), lotId);
    await m.teacher.gql.ok(CONFIRM, { id: used.id });
    const notices: any[] = [];
    t.app.get(EventEmitter2).on('credits.expiring', (e) => notices.push(e.payload));
    const sweep = () => t.app.get(CreditExpiry).sweep(t.clock.now());

    t.clock.advance(20 * DAY); // 14-day notice window reached (the lot expires after ~1 month)
    await sweep();
    await sweep();
    expect(notices).toEqual([expect.objectContaining({ lotId, studentId: m.student.id, credits: 3 })]);
    expect(await credits(lotId)).toMatchObject({ available: 3, reserved: 1, expiringSoon: true });
    // The notice reaches the student once: a mail in their language and an in-app notification.
    await settle(t);
    const [mail] = await waitForMails(m.student.email, withTemplate('credits-expiring'));
    expect(mail.subject).toMatch(/lesson credits with .+ expire soon/);
    expect(mail.text).toContain('3 lesson credits');
    expect(mail.text).toContain(`/teachers/${m.teacher.id}`);
    const { me } = await m.student.gql.ok(
      '{ me { notifications(first: 20) { edges { node { kind category title body link } } } } }',
    );
    const inApp = me.notifications.edges.filter((e: any) => e.node.kind === 'credits-expiring');
    expect(inApp).toEqual([
      {
        node: expect.objectContaining({ category: 'REMINDERS', body: expect.stringContaining('3 lesson credits') }),
      },
    ]);
    await sweep();
    await settle(t);
    expect(mailsTo(m.student.email).filter(withTemplate('credits-expiring'))).toHaveLength(1);

    const before = await earnings();
    t.clock.advance(15 * DAY);
    await sweep();
    // 3 unused credits worth 4000 each: 12000 to the teacher less 10 %; the reserved one stays reserved.
    expect(await credits(lotId)).toMatchObject({ available: 0, reserved: 1, expired: 3, expiringSoon: false });
    expect(await earnings()).toBe(before + 12000 - 1200);
    expect(await balanceOf(t, `prepaid:${lotId}`)).toBe(4000);
    // Its lesson, cancelled after the lot expired, does not bring the credit back: it expires too.
    await m.student.gql.ok(CANCEL, { id: used.id });
    expect(await credits(lotId)).toMatchObject({ available: 0, reserved: 0, expired: 4 });
    expect(await balanceOf(t, `prepaid:${lotId}`)).toBe(0);
    expect(await earnings()).toBe(before + 16000 - 1600);
  });

  it('a card lesson never reported is charged in full at the deadline; a later no-show refunds the difference', async () => {
    const e0 = await earnings();
    const start = freshStart(40);
    const lesson = await requestLesson(m, start);
    await confirmCard((await payment(lesson.id)).clientSecret);
    await m.teacher.gql.ok(CONFIRM, { id: lesson.id });
    const followUp = t.app.get(PaymentFollowUp);

    t.clock.advance(start.getTime() + 2 * HOUR - t.clock.now().getTime());
    await followUp.chargeAtDeadline(`L-${lesson.id}`); // before end + 48 h: nothing
    expect(await payment(lesson.id)).toMatchObject({ state: 'AUTHORISED', charged: { amountMinor: 0 } });

    t.clock.advance(48 * HOUR);
    await followUp.chargeAtDeadline(`L-${lesson.id}`);
    await followUp.chargeAtDeadline(`L-${lesson.id}`); // a repeated job run changes nothing
    expect(await payment(lesson.id)).toMatchObject({ state: 'CAPTURED', captured: { amountMinor: 4500 } });
    expect(await earnings()).toBe(e0 + 4050);

    await m.teacher.gql.ok(NO_SHOW, { id: lesson.id });
    const p = await payment(lesson.id);
    expect(p).toMatchObject({ charged: { amountMinor: 4500 }, refunded: { amountMinor: 2250 }, feePercent: 50 });
    expect(await earnings()).toBe(e0 + 4050 - 2025);
    expect(await balanceOf(t, `refunds-due:${m.student.id}:EUR`)).toBe(0);
  });

  it('a card request that expires is released; a moved one keeps its hold', async () => {
    const expiring = await requestLesson(m, freshStart(40));
    await confirmCard((await payment(expiring.id)).clientSecret);
    const moved = await requestLesson(m, freshStart(40));
    await confirmCard((await payment(moved.id)).clientSecret);
    await m.student.gql.ok(RESCHEDULE, { input: { lessonId: moved.id, start: freshStart(40).toISOString() } });
    expect(await payment(moved.id)).toMatchObject({ state: 'AUTHORISED', amount: { amountMinor: 4500 } });

    t.clock.advance(25 * HOUR);
    await t.app.get(LessonExpiryJob).sweep();
    expect(await payment(expiring.id)).toMatchObject({ state: 'RELEASED', captured: { amountMinor: 0 } });
  });

  it("the teacher's earnings report covers the period asked for", async () => {
    const now = t.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    const [report] = (await m.teacher.gql.ok(EARNINGS, { from: iso(now - 200 * DAY), to: iso(now + 100 * DAY) }))
      .myEarnings;
    const balance = await earnings();
    expect(report).toMatchObject({ currency: 'EUR', balance: { amountMinor: balance } });
    expect(report.net.amountMinor).toBe(report.earned.amountMinor - report.refunded.amountMinor);
    expect(report.earned).toEqual({ amountMinor: expect.any(Number), currency: 'EUR' });
    expect(report.entries).toBeGreaterThan(0);
    const past = (await m.teacher.gql.ok(EARNINGS, { from: iso(now - 300 * DAY), to: iso(now - 200 * DAY) }))
      .myEarnings;
    expect(past).toEqual([expect.objectContaining({ entries: 0, net: { amountMinor: 0 } })]);
    const tooLong = await m.teacher.gql.request(EARNINGS, { from: iso(now - 400 * DAY), to: iso(now) });
    expect(tooLong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a capture after a release is refused by the provider as a typed error, and no entry is written', async () => {
    const lesson = await requestLesson(m, freshStart(40));
    await confirmCard((await payment(lesson.id)).clientSecret);
    await m.student.gql.ok(CANCEL, { id: lesson.id });
    expect((await payment(lesson.id)).state).toBe('RELEASED');
    const stored = (await t.app.get(PaymentsRepository).get(`L-${lesson.id}`))!;
    const postings = await t.app.get(LedgerRepository).postingsOf(stored.id);
    await expect(
      t.app.get(PaymentProvider).capture(stored.provider.paymentIntentId!, 4500, 'late-capture'),
    ).rejects.toBeInstanceOf(ProviderRefusedError);
    await settle(t);
    expect(await t.app.get(LedgerRepository).postingsOf(stored.id)).toEqual(postings);
    expect((await t.app.get(PaymentsRepository).get(stored.id))!.state).toBe('RELEASED');
  });
});
