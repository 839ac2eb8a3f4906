import { createAccount, startTestApp, subscribe, TestApp } from '@app/testing';

const EVENTS = 'subscription { accountEvents { type at } }';
const UPDATE = `mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }`;

describe('graphql-ws authentication and account events', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Two instances sharing Redis, as in production behind a load balancer.
    a = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    b = await startTestApp({ config: { DYNAMODB_TABLE: a.names.table, S3_BUCKET: a.names.bucket, BOOTSTRAP_RESOURCES: 'false', GRAPHQL_MAX_ALIASES: '2' } });
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

  it('refuses a subscription with an invalid token', async () => {
    const sub = await subscribe(a.baseUrl, EVENTS, 'garbage');
    expect((await sub.failed)[0].extensions?.code).toBe('UNAUTHENTICATED');
    await sub.close();
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
});
