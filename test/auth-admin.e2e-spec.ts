import { ulid } from 'ulid';
import { createAccount, startTestApp, subscribe, TEST_PASSWORD, TestAccount, TestApp } from '@app/testing';

const USERS = `query($first: Int, $after: String, $filter: UsersFilter) {
  users(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id email displayName roles status } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const LOG_IN = `mutation($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`;

describe('admin: users, suspension, roles', () => {
  let t: TestApp;
  let admin: TestAccount;
  const tag = ulid().toLowerCase().slice(-8);
  const created: TestAccount[] = [];

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', AUTH_RATE_LIMIT_PER_ACCOUNT: '1000' } });
    admin = await createAccount(t, 'ADMIN');
    for (let i = 0; i < 4; i++)
      created.push(
        await createAccount(t, 'TEACHER', {
          email: `teacher${i}-${tag}@example.test`,
          displayName: `Maestro ${tag} ${i}`,
        }),
      );
    for (let i = 0; i < 3; i++)
      created.push(
        await createAccount(t, 'STUDENT', {
          email: `student${i}-${tag}@example.test`,
          displayName: `Pupil ${tag} ${i}`,
        }),
      );
  });
  afterAll(async () => t?.close());

  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

  it('pages through every user exactly once, newest first', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const { users } = await admin.gql.ok(USERS, { first: 3, after });
      seen.push(...users.edges.map((e: { node: { id: string } }) => e.node.id));
      expect(users.pageInfo.hasPreviousPage).toBe(after !== undefined);
      after = users.pageInfo.hasNextPage ? users.pageInfo.endCursor : undefined;
      pages++;
    } while (after);
    expect(pages).toBe(3); // 8 users in pages of 3
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(
      [...created]
        .reverse()
        .map((c) => c.id)
        .concat(admin.id),
    );
  });

  it('filters by role, status and search text', async () => {
    const teachers = await admin.gql.ok(USERS, { first: 100, filter: { role: 'TEACHER', search: tag } });
    expect(teachers.users.edges.map((e: any) => e.node.email).sort()).toEqual(
      [0, 1, 2, 3].map((i) => `teacher${i}-${tag}@example.test`),
    );
    const byEmailPrefix = await admin.gql.ok(USERS, { first: 100, filter: { search: `STUDENT1-${tag}` } });
    expect(byEmailPrefix.users.edges.map((e: any) => e.node.email)).toEqual([`student1-${tag}@example.test`]);
    const byName = await admin.gql.ok(USERS, { first: 100, filter: { search: `pupil ${tag}` } });
    expect(byName.users.edges).toHaveLength(3);
    // With a selective filter, small pages are still full pages, and paging still covers everything.
    const first = await admin.gql.ok(USERS, { first: 2, filter: { role: 'STUDENT', search: tag } });
    expect(first.users.edges).toHaveLength(2);
    const rest = await admin.gql.ok(USERS, {
      first: 2,
      after: first.users.pageInfo.endCursor,
      filter: { role: 'STUDENT', search: tag },
    });
    expect(rest.users.edges).toHaveLength(1);
    expect(rest.users.pageInfo.hasNextPage).toBe(false);
  });

  it('rejects a page size over 100 and a forged cursor, naming the argument', async () => {
    const big = await admin.gql.request(USERS, { first: 101 });
    expect(code(big)).toBe('BAD_USER_INPUT');
    expect(big.errors![0].extensions!.fields[0].field).toBe('first');
    const forged = await admin.gql.request(USERS, { first: 5, after: 'bm90LWEtY3Vyc29y' });
    expect(code(forged)).toBe('BAD_USER_INPUT');
    expect(forged.errors![0].extensions!.fields[0].field).toBe('after');
  });

  it('suspension ends log-in, refresh, access tokens and sockets at once; reinstating restores log-in', async () => {
    const victim = await createAccount(t, 'STUDENT');
    const socket = await subscribe(t.baseUrl, 'subscription { accountEvents { type } }', victim.accessToken);
    const suspended = await admin.gql.ok(`mutation($id: ID!) { suspendUser(id: $id) { id status } }`, {
      id: victim.id,
    });
    expect(suspended.suspendUser.status).toBe('SUSPENDED');

    expect(code(await victim.gql.request('{ me { id } }'))).toBe('UNAUTHENTICATED');
    expect(code(await t.gql.request(REFRESH, { t: victim.refreshToken }))).toBe('UNAUTHENTICATED');
    const login = await t.gql.request(LOG_IN, { input: { email: victim.email, password: TEST_PASSWORD } });
    expect(code(login)).toBe('FORBIDDEN');
    expect(login.errors![0].message).toBe('This account is suspended');
    // The wrong password still says nothing about the account.
    expect(code(await t.gql.request(LOG_IN, { input: { email: victim.email, password: 'wrong password!!' } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await socket.closed).toBe(4401);

    // Idempotent: a second suspension changes nothing.
    expect(
      (await admin.gql.ok(`mutation($id: ID!) { suspendUser(id: $id) { status } }`, { id: victim.id })).suspendUser
        .status,
    ).toBe('SUSPENDED');

    const reinstated = await admin.gql.ok(`mutation($id: ID!) { reinstateUser(id: $id) { status } }`, {
      id: victim.id,
    });
    expect(reinstated.reinstateUser.status).toBe('ACTIVE');
    const again = await t.gql.ok(LOG_IN, { input: { email: victim.email, password: TEST_PASSWORD } });
    expect(await t.gql.as(again.logIn.accessToken).ok('{ me { id } }')).toEqual({ me: { id: victim.id } });
    // Tokens from before the suspension stay dead.
    expect(code(await victim.gql.request('{ me { id } }'))).toBe('UNAUTHENTICATED');
  });

  it('grants ADMIN only through setUserRoles, effective at once', async () => {
    const promoted = await createAccount(t, 'TEACHER');
    expect(code(await promoted.gql.request(USERS, { first: 1 }))).toBe('FORBIDDEN');
    const res = await admin.gql.ok(
      `mutation($id: ID!, $roles: [Role!]!) { setUserRoles(id: $id, roles: $roles) { roles } }`,
      {
        id: promoted.id,
        roles: ['TEACHER', 'ADMIN', 'ADMIN'],
      },
    );
    expect(res.setUserRoles.roles).toEqual(['TEACHER', 'ADMIN']);
    expect((await promoted.gql.ok(USERS, { first: 1 })).users.edges).toHaveLength(1);
  });

  it('refuses self-suspension, self-demotion, empty roles and unknown users', async () => {
    expect(code(await admin.gql.request(`mutation($id: ID!) { suspendUser(id: $id) { id } }`, { id: admin.id }))).toBe(
      'CONFLICT',
    );
    const SET = `mutation($id: ID!, $roles: [Role!]!) { setUserRoles(id: $id, roles: $roles) { id } }`;
    expect(code(await admin.gql.request(SET, { id: admin.id, roles: ['TEACHER'] }))).toBe('CONFLICT');
    expect(code(await admin.gql.request(SET, { id: created[0].id, roles: [] }))).toBe('BAD_USER_INPUT');
    expect(code(await admin.gql.request(`mutation($id: ID!) { suspendUser(id: $id) { id } }`, { id: ulid() }))).toBe(
      'NOT_FOUND',
    );
    expect(code(await admin.gql.request(SET, { id: ulid(), roles: ['STUDENT'] }))).toBe('NOT_FOUND');
  });
});
