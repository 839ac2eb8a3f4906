import { ulid } from 'ulid';
import { createAccount, SIGN_UP, startTestApp, TEST_PASSWORD, TestApp } from '@app/testing';

const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }`;

/** Limits: 4 attempts per client address, 3 failed log-ins (or sign-ups) per account, in 60 s windows. */
describe('rate limiting of logIn and signUp', () => {
  let a: TestApp;
  let b: TestApp;
  const limits = {
    AUTH_RATE_LIMIT_PER_IP: '4',
    AUTH_RATE_LIMIT_PER_ACCOUNT: '3',
    AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
  };
  beforeAll(async () => {
    a = await startTestApp({ config: limits });
    // A second instance on the same table and Redis: limits are shared, not per process.
    b = await startTestApp({
      config: { ...limits, DYNAMODB_TABLE: a.names.table, S3_BUCKET: a.names.bucket, BOOTSTRAP_RESOURCES: 'false' },
    });
  });
  afterAll(async () => {
    await b?.app.close();
    await a?.close();
  });

  // The server trusts X-Forwarded-For from loopback proxies, so each test can act from its own address.
  let ipCounter = 10;
  const fromNewAddress = () => ({ 'x-forwarded-for': `203.0.113.${ipCounter++}` });
  const logIn = (t: TestApp, email: string, password: string, headers: Record<string, string>) =>
    t.gql.request(LOG_IN, { input: { email, password } }, headers);

  it('locks an account after repeated failed log-ins, even with the right password, from any address and instance', async () => {
    const account = await createAccount(a, 'STUDENT', {}, fromNewAddress());
    for (let i = 0; i < 3; i++) {
      const res = await logIn(i % 2 ? b : a, account.email, 'wrong password!!', fromNewAddress());
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    }
    const locked = await logIn(b, account.email, TEST_PASSWORD, fromNewAddress());
    const error = locked.errors![0];
    expect(error.extensions!.code).toBe('RATE_LIMITED');
    expect(error.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.extensions!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(error.message).toMatch(/retry after \d+ s/);
  });

  it('a successful log-in clears the account failure count', async () => {
    const account = await createAccount(a, 'STUDENT', {}, fromNewAddress());
    const ip = fromNewAddress();
    await logIn(a, account.email, 'wrong password!!', fromNewAddress());
    await logIn(a, account.email, 'wrong password!!', fromNewAddress());
    expect((await logIn(a, account.email, TEST_PASSWORD, ip)).data?.logIn.accessToken).toBeTruthy();
    await logIn(a, account.email, 'wrong password!!', fromNewAddress());
    await logIn(a, account.email, 'wrong password!!', fromNewAddress());
    expect((await logIn(a, account.email, TEST_PASSWORD, ip)).data?.logIn.accessToken).toBeTruthy();
  });

  it('limits attempts per client address across accounts and instances', async () => {
    const ip = fromNewAddress();
    for (let i = 0; i < 4; i++) {
      const res = await logIn(i % 2 ? a : b, `nobody-${i}-${ulid()}@example.test`, 'wrong password!!', ip);
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    }
    const limited = await logIn(a, `someone-${ulid()}@example.test`, 'wrong password!!', ip);
    expect(limited.errors![0].extensions!.code).toBe('RATE_LIMITED');
    // Another deployment (its own table) on the same Redis counts its own attempts.
    const other = await startTestApp({ config: limits });
    try {
      const res = await logIn(other, `elsewhere-${ulid()}@example.test`, 'wrong password!!', ip);
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    } finally {
      await other.close();
    }
    // Another address is unaffected.
    expect(
      (await logIn(a, `x-${ulid()}@example.test`, 'wrong password!!', fromNewAddress())).errors![0].extensions!.code,
    ).toBe('UNAUTHENTICATED');
  });

  it('limits sign-ups per client address', async () => {
    const ip = fromNewAddress();
    const input = () => ({
      email: `s-${ulid().toLowerCase()}@example.test`,
      password: TEST_PASSWORD,
      displayName: 'S',
      timeZone: 'UTC',
      role: 'STUDENT',
    });
    for (let i = 0; i < 4; i++)
      expect((await a.gql.request(SIGN_UP, { input: input() }, ip)).data?.signUp).toBeTruthy();
    const limited = await a.gql.request(SIGN_UP, { input: input() }, ip);
    expect(limited.errors![0].extensions!.code).toBe('RATE_LIMITED');
  });

  it('limits sign-up attempts per e-mail address', async () => {
    const email = `taken-${ulid().toLowerCase()}@example.test`;
    const input = { email, password: TEST_PASSWORD, displayName: 'S', timeZone: 'UTC', role: 'STUDENT' };
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await a.gql.request(SIGN_UP, { input }, fromNewAddress())).errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes).toEqual(['OK', 'CONFLICT', 'CONFLICT', 'RATE_LIMITED']);
  });
});
