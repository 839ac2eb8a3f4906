import { NotFoundException } from '@nestjs/common';
import { ulid } from 'ulid';
import {
  createAccount,
  createTeacher,
  hoursFromNow,
  mailDir,
  REQUEST_LESSON,
  startTestApp,
  TEST_PASSWORD,
  TestApp,
  tokenFrom,
  waitForMails,
  withTemplate,
} from '@app/testing';
import type { AppConfig } from '../src/config/app-config';
import { DevMailController } from '../src/notifications/dev/dev-mail.controller';

const VERIFY = 'mutation($token: String!) { verifyEmail(token: $token) }';
const RESEND = 'mutation { resendVerificationEmail }';
const REQUEST_RESET = 'mutation($email: EmailAddress!) { requestPasswordReset(email: $email) }';
const RESET = 'mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }';
const REFRESH = 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }';
const LOG_IN = 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken } }';
const ME = '{ me { id email emailVerified locale } }';

const codeOf = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;
const extensionsOf = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions;
/** A refused token is BAD_USER_INPUT naming the field; its message says which problem (one shape per code). */
const INVALID = 'is not valid: mistyped, forged, or replaced by a newer link';
const EXPIRED = 'has expired: ask for a new link';
const USED = 'was already used';
const tokenProblem = (res: { errors?: Array<{ extensions?: Record<string, any> }> }, field = 'token') => {
  const ext = extensionsOf(res);
  expect(ext).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field, message: expect.any(String) }] });
  return ext!.fields[0].message as string;
};

/**
 * The account mails through a real SMTP server (the test run's catcher) and real stores: the
 * token is taken from the parsed mail, as a person would follow the link.
 */
describe('account e-mails', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      config: {
        AUTH_RATE_LIMIT_PER_IP: '1000',
        ACCOUNT_MAIL_RATE_LIMIT: '3',
        PUBLIC_WEB_URL: 'https://app.example.test',
      },
    });
  });
  afterAll(async () => t?.close());

  it('sign-up mails a verification link; until it is followed the account can log in but not book', async () => {
    const student = await createAccount(t, 'STUDENT', { locale: 'DE' }, {}, { verified: false });
    const teacher = await createTeacher(t);
    expect((await student.gql.ok(ME)).me).toMatchObject({ emailVerified: false, locale: 'DE' });

    const refused = await student.gql.request(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: hoursFromNow(30).toISOString(), durationMinutes: 60, format: 'ONLINE' },
    });
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(extensionsOf(refused)).toEqual({ code: 'FORBIDDEN' });
    expect(refused.errors![0].message).toMatch(/^Confirm your e-mail address before you book/);
    expect(refused.data?.requestLesson ?? null).toBeNull();

    const [mail] = await waitForMails(student.email, withTemplate('verify-email'));
    expect(mail.subject).toBe('Bitte bestätigen Sie Ihre E-Mail-Adresse'); // the student chose German
    expect(mail.html).toContain('href="https://app.example.test/verify-email?token');
    const token = tokenFrom(mail, 'verify-email');
    expect(token).toMatch(/^ev1\./);
    // The development server lists what the local catcher received (README "Locally").
    const listed = (await (await fetch(`${t.baseUrl}/dev/mail/messages.json`)).json()) as Array<{ id: string }>;
    expect(listed.map((m) => m.id)).toContain(mail.id);
    const page = await fetch(`${t.baseUrl}/dev/mail`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<a href="/dev/mail/${mail.id}">Bitte bestätigen Sie Ihre E-Mail-Adresse</a>`);
    expect(await (await fetch(`${t.baseUrl}/dev/mail/${mail.id}`)).text()).toContain(
      'https://app.example.test/verify-email?token',
    );
    expect((await fetch(`${t.baseUrl}/dev/mail/${mail.id}/ics`)).status).toBe(404); // no invitation in this one
    // Never in production, whatever the configuration says.
    const production = new DevMailController({ production: true, MAIL_CATCHER_DIR: mailDir() } as AppConfig);
    await expect(production.json({} as never)).rejects.toBeInstanceOf(NotFoundException);

    expect(await t.gql.ok(VERIFY, { token })).toEqual({ verifyEmail: true });
    expect((await student.gql.ok(ME)).me.emailVerified).toBe(true);
    const booked = await student.gql.ok(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: hoursFromNow(30).toISOString(), durationMinutes: 60, format: 'ONLINE' },
    });
    expect(booked.requestLesson.status).toBe('PENDING');

    // Single use.
    const again = await t.gql.request(VERIFY, { token });
    expect(tokenProblem(again)).toBe(`token ${USED}`);
  });

  it('refuses forged, replaced and expired verification tokens, each with its reason', async () => {
    const student = await createAccount(t, 'STUDENT', {}, {}, { verified: false });
    const [first] = await waitForMails(student.email, withTemplate('verify-email'));
    const token = tokenFrom(first, 'verify-email');

    const [, userId, tokenId, secret] = token.split('.');
    const forged = `ev1.${userId}.${tokenId}.${secret.slice(0, -2)}${secret.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [
      forged,
      'ev1.nonsense',
      `pr1.${userId}.${tokenId}.${secret}`,
      `ev1.${ulid()}.${tokenId}.${secret}`,
    ]) {
      const res = await t.gql.request(VERIFY, { token: bad });
      expect(tokenProblem(res)).toBe(`token ${INVALID}`);
    }

    // A resend replaces the link: the old one stops working, the new one works.
    expect(await student.gql.ok(RESEND)).toEqual({ resendVerificationEmail: true });
    const mails = await waitForMails(student.email, withTemplate('verify-email'), 2);
    const second = tokenFrom(mails[1], 'verify-email');
    expect(second).not.toBe(token);
    expect(tokenProblem(await t.gql.request(VERIFY, { token }))).toBe(`token ${INVALID}`);

    // Links expire (EMAIL_VERIFICATION_TTL_HOURS, 72 by default).
    t.clock.advance(73 * 3_600_000);
    try {
      expect(tokenProblem(await t.gql.request(VERIFY, { token: second }))).toBe(`token ${EXPIRED}`);
    } finally {
      t.clock.reset();
    }
    expect(await t.gql.ok(VERIFY, { token: second })).toEqual({ verifyEmail: true });
    // A verified account has nothing to resend.
    expect(extensionsOf(await student.gql.request(RESEND))).toEqual({
      code: 'CONFLICT',
      reason: 'EMAIL_ALREADY_VERIFIED',
    });
  });

  it('rate-limits resending the verification mail', async () => {
    const student = await createAccount(t, 'STUDENT', {}, {}, { verified: false });
    for (let i = 0; i < 3; i++) expect(await student.gql.ok(RESEND)).toEqual({ resendVerificationEmail: true });
    const limited = await student.gql.request(RESEND);
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(extensionsOf(limited)?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('resets a forgotten password from the mailed link: once, every session ends, the same answer for unknown addresses', async () => {
    const account = await createAccount(t, 'STUDENT');
    const unknown = `nobody-${ulid().toLowerCase()}@example.test`;
    const known = await t.gql.request(REQUEST_RESET, { email: account.email.toUpperCase() });
    const missing = await t.gql.request(REQUEST_RESET, { email: unknown });
    expect(known.data).toEqual({ requestPasswordReset: true });
    expect(missing.data).toEqual(known.data);
    expect(missing.errors).toBeUndefined();

    const [mail] = await waitForMails(account.email, withTemplate('password-reset'));
    expect(mail.subject).toBe('Reset your password');
    const token = tokenFrom(mail, 'reset-password');

    const weak = await t.gql.request(RESET, { input: { token, newPassword: 'short' } });
    expect(extensionsOf(weak)).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.newPassword' }] });

    const newPassword = 'a completely new passphrase';
    expect(await t.gql.ok(RESET, { input: { token, newPassword } })).toEqual({ resetPassword: true });
    // Every session of the account ended: the old refresh token and access token fail.
    expect(codeOf(await t.gql.request(REFRESH, { t: account.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await account.gql.request(ME))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql.request(LOG_IN, { input: { email: account.email, password: TEST_PASSWORD } }))).toBe(
      'UNAUTHENTICATED',
    );
    const session = await t.gql.ok(LOG_IN, { input: { email: account.email, password: newPassword } });
    expect(session.logIn.accessToken).toBeTruthy();

    const reused = await t.gql.request(RESET, { input: { token, newPassword: 'yet another passphrase' } });
    expect(tokenProblem(reused, 'input.token')).toBe(`token ${USED}`);
    // The account is told its password changed (a security notice, always sent).
    const [notice] = await waitForMails(account.email, withTemplate('password-changed'));
    expect(notice.subject).toBe('Your password was changed');
    expect(notice.headers['list-unsubscribe']).toBeUndefined();
  });

  it('a reset link works for 30 minutes only, and asking is rate-limited per address', async () => {
    const account = await createAccount(t, 'STUDENT');
    await t.gql.ok(REQUEST_RESET, { email: account.email });
    const [mail] = await waitForMails(account.email, withTemplate('password-reset'));
    t.clock.advance(31 * 60_000);
    try {
      const late = await t.gql.request(RESET, {
        input: { token: tokenFrom(mail, 'reset-password'), newPassword: 'x'.repeat(12) },
      });
      expect(tokenProblem(late, 'input.token')).toBe(`token ${EXPIRED}`);
    } finally {
      t.clock.reset();
    }
    // ACCOUNT_MAIL_RATE_LIMIT is 3 here: one done, two more, then refused; unknown addresses alike.
    for (let i = 0; i < 2; i++) await t.gql.ok(REQUEST_RESET, { email: account.email });
    expect(codeOf(await t.gql.request(REQUEST_RESET, { email: account.email }))).toBe('RATE_LIMITED');
    const unknown = `nobody-${ulid().toLowerCase()}@example.test`;
    for (let i = 0; i < 3; i++) await t.gql.ok(REQUEST_RESET, { email: unknown });
    expect(codeOf(await t.gql.request(REQUEST_RESET, { email: unknown }))).toBe('RATE_LIMITED');
  });

  it('a changed password and a changed address are told to the account (the old address for a move)', async () => {
    const account = await createAccount(t, 'STUDENT');
    const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken } }`;
    const changed = await account.gql.ok(CHANGE_PASSWORD, {
      input: { currentPassword: TEST_PASSWORD, newPassword: 'another good passphrase' },
    });
    await waitForMails(account.email, withTemplate('password-changed'));

    const CHANGE_EMAIL = `mutation($input: ChangeEmailInput!) { changeEmail(input: $input) { email emailVerified } }`;
    const newEmail = `moved-${ulid().toLowerCase()}@example.test`;
    const me = t.gql.as(changed.changePassword.accessToken);
    const moved = await me.ok(CHANGE_EMAIL, { input: { newEmail, currentPassword: 'another good passphrase' } });
    expect(moved.changeEmail).toEqual({ email: newEmail, emailVerified: false });
    const [notice] = await waitForMails(account.email, withTemplate('email-changed'));
    expect(notice.text).toContain(newEmail);
    const [verification] = await waitForMails(newEmail, withTemplate('verify-email'));
    await t.gql.ok(VERIFY, { token: tokenFrom(verification, 'verify-email') });
    expect((await me.ok(ME)).me).toMatchObject({ email: newEmail, emailVerified: true });

    const taken = await me.request(CHANGE_EMAIL, {
      input: { newEmail: (await createAccount(t, 'STUDENT')).email, currentPassword: 'another good passphrase' },
    });
    expect(extensionsOf(taken)).toEqual({ code: 'CONFLICT', reason: 'EMAIL_TAKEN', field: 'input.newEmail' });
  });
});
