import { createAccount, startTestApp, subscribe, TEST_PASSWORD, TestApp } from '@app/testing';

const EVENTS = 'subscription { accountEvents { type at } }';
const UPDATE = `mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }`;

describe('graphql-ws authentication and account events', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Two instances sharing Redis, as in production behind a load balancer.
    a = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    b = await startTestApp({
      config: {
        DYNAMODB_TABLE: a.names.table,
        S3_BUCKET: a.names.bucket,
        BOOTSTRAP_RESOURCES: 'false',
        GRAPHQL_MAX_ALIASES: '2',
      },
    });
  });
  afterAll(async () => {
    await b?.app.close();
    await a?.close();
  });

  it('refuses an anonymous subscription with UNAUTHENTICATED', async () => {
    const sub = await subscribe(a.baseUrl, EVENTS);
    const errors = await sub.failed;
    expect(errors[0].extensions?.code).toBe('UNAUTHENTICATED');
    await sub.close();
  });

  it('refuses a connection with an invalid token at connection_init (4403)', async () => {
    const sub = await subscribe(a.baseUrl, EVENTS, 'garbage');
    expect(await sub.closed).toBe(4403);
    await sub.close();
  });

  it('closes the sockets of revoked sessions only: logOut ends one login, suspension all', async () => {
    const user = await createAccount(a, 'STUDENT');
    const admin = await createAccount(a, 'ADMIN');
    const second = (
      await a.gql.ok(`mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }`, {
        input: { email: user.email, password: TEST_PASSWORD },
      })
    ).logIn;
    const first = await subscribe(a.baseUrl, EVENTS, user.accessToken);
    const other = await subscribe(b.baseUrl, EVENTS, second.accessToken);

    await user.gql.ok('mutation { logOut }');
    expect(await first.closed).toBe(4401);
    await new Promise((r) => setTimeout(r, 400));
    expect(await Promise.race([other.closed, Promise.resolve('open')])).toBe('open');

    await admin.gql.ok(`mutation($id: ID!) { suspendUser(id: $id) { status } }`, { id: user.id });
    expect((await other.waitFor(1))[0]).toMatchObject({ accountEvents: { type: 'SUSPENDED' } });
    expect(await other.closed).toBe(4401);
    await Promise.all([first.close(), other.close()]);
  });

  it('ending a login closes the sockets of every token of it, also those issued before a refresh', async () => {
    const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;
    const within = (closed: Promise<number>) =>
      Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 3000))]);
    // logOut with the newest token of a login: a socket opened before the refresh (older session id) closes too.
    const user = await createAccount(a, 'STUDENT');
    const beforeRefresh = await subscribe(a.baseUrl, EVENTS, user.accessToken);
    const refreshed = (await a.gql.ok(REFRESH, { t: user.refreshToken })).refreshSession;
    const afterRefresh = await subscribe(b.baseUrl, EVENTS, refreshed.accessToken);
    await a.gql.as(refreshed.accessToken).ok('mutation { logOut }');
    expect(await within(beforeRefresh.closed)).toBe(4401);
    expect(await within(afterRefresh.closed)).toBe(4401);

    // Reuse of a spent refresh token ends the login: its sockets close at once, not when their tokens expire.
    const victim = await createAccount(a, 'STUDENT');
    const old = await subscribe(a.baseUrl, EVENTS, victim.accessToken);
    const next = (await a.gql.ok(REFRESH, { t: victim.refreshToken })).refreshSession;
    const current = await subscribe(b.baseUrl, EVENTS, next.accessToken);
    const replay = await a.gql.request(REFRESH, { t: victim.refreshToken });
    expect(replay.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await within(old.closed)).toBe(4401);
    expect(await within(current.closed)).toBe(4401);
    await Promise.all([beforeRefresh.close(), afterRefresh.close(), old.close(), current.close()]);
  });

  it('delivers events to every device of that user, and to nobody else, across instances', async () => {
    const user = await createAccount(a, 'STUDENT');
    const stranger = await createAccount(a, 'STUDENT');
    const phone = await subscribe(a.baseUrl, EVENTS, user.accessToken);
    const laptop = await subscribe(b.baseUrl, EVENTS, user.accessToken);
    const other = await subscribe(a.baseUrl, EVENTS, stranger.accessToken);

    await b.gql.as(user.accessToken).ok(UPDATE, { input: { displayName: 'Renamed on instance B' } });
    for (const device of [phone, laptop]) {
      const [event] = await device.waitFor(1);
      expect(event).toMatchObject({ accountEvents: { type: 'PROFILE_UPDATED' } });
    }
    await a.gql.as(user.accessToken).ok('mutation { logOutEverywhere }');
    expect((await phone.waitFor(2))[1]).toMatchObject({ accountEvents: { type: 'SESSIONS_REVOKED' } });
    // ...and then the sockets close on both instances: the subscription does not outlive the session.
    expect(await phone.closed).toBe(4401);
    expect(await laptop.closed).toBe(4401);

    await new Promise((r) => setTimeout(r, 300));
    expect(other.events).toEqual([]);
    await Promise.all([phone.close(), laptop.close(), other.close()]);
  });

  it('applies the same query limits to subscriptions as to HTTP', async () => {
    const user = await createAccount(a, 'STUDENT');
    const sub = await subscribe(b.baseUrl, 'subscription { e: accountEvents { t: type a: at } }', user.accessToken);
    const errors = await sub.failed;
    expect(errors[0].message).toMatch(/aliases/i);
    expect(errors[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await sub.close();
  });

  it('closes a subscription when its access token expires', async () => {
    const short = await startTestApp({ config: { ACCESS_TOKEN_TTL_SECONDS: '5', AUTH_RATE_LIMIT_PER_IP: '1000' } });
    try {
      const user = await createAccount(short, 'STUDENT');
      const sub = await subscribe(short.baseUrl, EVENTS, user.accessToken);
      const started = Date.now();
      expect(await sub.closed).toBe(4401);
      expect(Date.now() - started).toBeLessThan(6000);
      await sub.close();
    } finally {
      await short.close();
    }
  });
});
