import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAccount,
  mailsTo,
  startAnotherInstance,
  startTestApp,
  TestApp,
  waitForMails,
  withTemplate,
} from '@app/testing';
import { createMailCatcher } from '../scripts/lib/mail-catcher';
import { freePort } from '../scripts/lib/services';
import { ulid } from 'ulid';
import { OutboxConsumers } from '../src/events/outbox-consumers';
import { OutboxRelay } from '../src/events/outbox-relay.service';
import { JobScheduler } from '../src/jobs/job-scheduler.service';

/**
 * Delivery against an SMTP server of the test's own (the catcher, in process) that refuses mail
 * for a while, answers "never", or is not there at all. The polls are driven by the test
 * (JOBS_ENABLED=false) and the clock moved past each backoff.
 */
describe('mail delivery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'take-sessions-mail-'));
  let refuseWith: number | null = null;
  let catcher: ReturnType<typeof createMailCatcher> | null = null;
  let port: number;
  let a: TestApp;
  let b: TestApp;

  const startCatcher = async () => {
    catcher = createMailCatcher({ dir, refuse: () => refuseWith });
    await catcher.listen(port);
  };
  const metric = async (t: TestApp, name: string, template: string) => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) && l.includes(`template="${template}"`))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  };
  const settle = async () => {
    for (const t of [a, b]) {
      await t.app.get(OutboxRelay).idle();
      await t.app.get(JobScheduler).idle();
    }
  };
  /** Both instances' clocks move past the longest backoff so far, then both poll at once. */
  const retryNow = async (ms = 120_000) => {
    for (const t of [a, b]) t.clock.advance(ms);
    await Promise.all(
      [a, b].flatMap((t) => [t.app.get(JobScheduler).runDueDelayed(), t.app.get(JobScheduler).runDueDelayed()]),
    );
    await settle();
  };

  beforeAll(async () => {
    port = await freePort();
    await startCatcher();
    const config = {
      JOBS_ENABLED: 'false',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      AUTH_RATE_LIMIT_PER_IP: '1000',
      MAIL_MAX_ATTEMPTS: '4',
    };
    a = await startTestApp({ config });
    b = await startAnotherInstance(a, { config });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await catcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries while the server refuses (451) and delivers once when it takes mail again', async () => {
    refuseWith = 451;
    const account = await createAccount(a, 'STUDENT', {}, {}, { verified: false });
    await settle();
    expect(mailsTo(account.email, dir)).toHaveLength(0);
    expect(await metric(a, 'mail_queued_total', 'verify-email')).toBeGreaterThanOrEqual(1);
    expect(await metric(a, 'mail_retries_total', 'verify-email')).toBeGreaterThanOrEqual(1);

    await retryNow(); // still refused
    expect(mailsTo(account.email, dir)).toHaveLength(0);

    refuseWith = null;
    await retryNow();
    await waitForMails(account.email, withTemplate('verify-email'), 1, { dir });
    for (let i = 0; i < 3; i++) await retryNow(3_600_000);
    expect(mailsTo(account.email, dir)).toHaveLength(1);
    expect(
      (await metric(a, 'mail_sent_total', 'verify-email')) + (await metric(b, 'mail_sent_total', 'verify-email')),
    ).toBe(1);
  });

  it('queues while the server is unreachable, readiness stays up, and sends once it is back', async () => {
    await catcher!.close();
    catcher = null;
    const account = await createAccount(a, 'STUDENT', {}, {}, { verified: false });
    await settle();
    await retryNow();
    expect((await fetch(`${a.baseUrl}/health/ready`)).status).toBe(200);
    expect(mailsTo(account.email, dir)).toHaveLength(0);

    await startCatcher();
    await retryNow(3_600_000);
    await waitForMails(account.email, withTemplate('verify-email'), 1, { dir });
    await retryNow(3_600_000);
    expect(mailsTo(account.email, dir)).toHaveLength(1);
  });

  it('gives up at once on a permanent refusal (550), and after MAIL_MAX_ATTEMPTS temporary ones', async () => {
    const failedBefore = async () =>
      (await metric(a, 'mail_failed_total', 'verify-email')) + (await metric(b, 'mail_failed_total', 'verify-email'));
    const before = await failedBefore();
    refuseWith = 550;
    const refused = await createAccount(a, 'STUDENT', {}, {}, { verified: false });
    await settle();
    expect(await failedBefore()).toBe(before + 1);

    refuseWith = 451;
    const unlucky = await createAccount(a, 'STUDENT', {}, {}, { verified: false });
    await settle();
    for (let i = 0; i < 5; i++) await retryNow(3_600_000);
    expect(await failedBefore()).toBe(before + 2);

    refuseWith = null;
    for (let i = 0; i < 3; i++) await retryNow(3_600_000);
    expect(mailsTo(refused.email, dir)).toHaveLength(0);
    expect(mailsTo(unlucky.email, dir)).toHaveLength(0);
  });

  it('an event delivered many times at once, on two instances, sends one mail and adds one notification', async () => {
    refuseWith = null;
    const account = await createAccount(a, 'STUDENT');
    const event = {
      id: ulid(),
      name: 'account.password_changed' as const,
      payload: { userId: account.id, via: 'CHANGE' as const },
      occurredAt: a.clock.now().toISOString(),
    };
    await Promise.all(
      [a, b, a, b, a, b].map((t) => t.app.get(OutboxConsumers).handler('notifications.password-changed')!(event)),
    );
    await settle();
    await retryNow();
    expect(mailsTo(account.email, dir).filter(withTemplate('password-changed'))).toHaveLength(1);
    const inbox = await account.gql.ok('{ me { unreadNotificationCount notifications { edges { node { kind } } } } }');
    expect(inbox.me.unreadNotificationCount).toBe(1);
    expect(inbox.me.notifications.edges).toEqual([{ node: { kind: 'password-changed' } }]);
  });
});
