import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createAccount, SIGN_UP, startTestApp, TEST_PASSWORD, TestApp } from '@app/testing';
import { DynamoStore } from '../src/stores/dynamo.store';

const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { accessToken user { id email } } }`;

describe('signUp', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', AUTH_RATE_LIMIT_PER_ACCOUNT: '1000' } });
  });
  afterAll(async () => t?.close());

  const input = (overrides: Record<string, unknown> = {}) => ({
    email: `new-${ulid().toLowerCase()}@example.test`,
    password: TEST_PASSWORD,
    displayName: 'Ada Lovelace',
    timeZone: 'America/New_York',
    role: 'TEACHER',
    ...overrides,
  });

  async function scanItems(pkPrefix: string) {
    const dynamo = t.app.get(DynamoStore);
    const res = await dynamo.client.send(
      new ScanCommand({
        TableName: dynamo.table,
        FilterExpression: 'begins_with(PK, :p)',
        ExpressionAttributeValues: { ':p': pkPrefix },
        ConsistentRead: true,
      }),
    );
    return res.Items ?? [];
  }

  it('creates an account with the chosen role, normalised e-mail and a working session', async () => {
    const email = `  Mixed.Case-${ulid()}@Example.TEST `;
    const res = await t.gql.ok(SIGN_UP, {
      variables: undefined,
      input: input({ email, timeZone: 'america/new_york' }),
    });
    const { user, accessToken, refreshToken } = res.signUp;
    expect(user.email).toBe(email.trim().toLowerCase());
    expect(user.roles).toEqual(['TEACHER']);
    expect(user.timeZone).toBe('America/New_York');
    expect(user.status).toBe('ACTIVE');
    expect(refreshToken).toMatch(/^rt1\./);
    const me = await t.gql.as(accessToken).ok('{ me { id email } }');
    expect(me.me).toEqual({ id: user.id, email: user.email });
  });

  it('stores an argon2id hash with the OWASP parameters and never returns it', async () => {
    const res = await t.gql.request(SIGN_UP, { input: input() });
    expect(JSON.stringify(res)).not.toMatch(/argon2|passwordHash/);
    const [item] = (await scanItems(`USER#${res.data!.signUp.user.id}`)).filter((i) => i.SK === 'USER');
    expect(item.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(JSON.stringify(item)).not.toContain(TEST_PASSWORD);
  });

  it('20 concurrent sign-ups with one e-mail (any case) create exactly one account', async () => {
    const email = `race-${ulid().toLowerCase()}@example.test`;
    const attempts = Array.from({ length: 20 }, (_, i) =>
      t.gql.request(SIGN_UP, {
        input: input({ email: i % 2 ? email.toUpperCase() : email, displayName: `Racer ${i}` }),
      }),
    );
    const results = await Promise.all(attempts);
    const ok = results.filter((r) => r.data?.signUp);
    const conflicts = results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    expect(conflicts[0].errors![0].extensions!.field).toBe('input.email');

    // The stored state agrees: one e-mail item, one user item with that e-mail, pointing at each other.
    const emailItems = await scanItems(`EMAIL#${email}`);
    expect(emailItems).toHaveLength(1);
    const users = (await scanItems('USER#')).filter((i) => i.SK === 'USER' && i.email === email);
    expect(users).toHaveLength(1);
    expect(emailItems[0].userId).toBe(users[0].id);
    expect(users[0].id).toBe(ok[0].data!.signUp.user.id);
    const login = await t.gql.ok(LOG_IN, { input: { email, password: TEST_PASSWORD } });
    expect(login.logIn.user.id).toBe(users[0].id);
  });

  it('names every offending field of bad input at once, typed values and rules alike', async () => {
    const res = await t.gql.request(SIGN_UP, {
      input: input({
        email: 'not-an-email',
        password: 'short',
        displayName: 'x'.repeat(81),
        timeZone: 'Mars/Olympus_Mons',
      }),
    });
    expect(res.errors).toHaveLength(1);
    const error = res.errors![0];
    expect(error.extensions!.code).toBe('BAD_USER_INPUT');
    const fields = Object.fromEntries(
      (error.extensions!.fields as Array<{ field: string; message: string }>).map((f) => [f.field, f.message]),
    );
    expect(Object.keys(fields).sort()).toEqual([
      'input.displayName',
      'input.email',
      'input.password',
      'input.timeZone',
    ]);
    expect(fields['input.password']).toBe('password must be 10 to 256 characters');
    expect(fields['input.email']).toBe('email must be an e-mail address such as ada@example.com');
    expect(fields['input.timeZone']).toBe('timeZone must be an IANA time zone such as Europe/Berlin');
  });

  it.each([
    ['an overlong password', { password: 'p'.repeat(257) }, 'input.password'],
    ['an empty display name', { displayName: '   ' }, 'input.displayName'],
    ['an overlong e-mail', { email: `${'a'.repeat(250)}@example.test` }, 'input.email'],
    ['a fixed offset instead of a zone', { timeZone: '+02:00' }, 'input.timeZone'],
  ])('rejects %s', async (_label, overrides, field) => {
    const res = await t.gql.request(SIGN_UP, { input: input(overrides) });
    expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((res.errors![0].extensions!.fields as Array<{ field: string }>).map((f) => f.field)).toEqual([field]);
  });

  it('does not let anyone sign up as ADMIN', async () => {
    const res = await t.gql.request(SIGN_UP, { input: input({ role: 'ADMIN' }) });
    expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('SignUpRole');
  });

  it('accepts passwords of exactly 10 and 256 characters', async () => {
    for (const password of ['p'.repeat(10), 'p'.repeat(256)]) {
      const account = await createAccount(t, 'STUDENT', {
        password,
        email: `len-${password.length}-${ulid().toLowerCase()}@example.test`,
      });
      const login = await t.gql.ok(LOG_IN, { input: { email: account.email, password } });
      expect(login.logIn.user.id).toBe(account.id);
    }
  });
});
