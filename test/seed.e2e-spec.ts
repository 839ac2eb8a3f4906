import { startTestApp, TestApp } from '@app/testing';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoLoginLines } from '../src/seed/demo-accounts';
import { DemoSeedService } from '../src/seed/demo-seed.service';

const LOG_IN = `mutation LogIn($input: LogInInput!) {
  logIn(input: $input) { accessToken user { id email roles displayName timeZone status } }
}`;

const USERS = `query Users($after: String) {
  users(first: 100, after: $after) { edges { node { id email } } pageInfo { hasNextPage endCursor } }
}`;

interface LoggedIn {
  accessToken: string;
  user: { id: string; email: string; roles: string[]; displayName: string; timeZone: string; status: string };
}

const byRole = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

describe('demo seed (SEED_DEMO_DATA=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { SEED_DEMO_DATA: 'true', AUTH_RATE_LIMIT_PER_IP: '1000' } });
  });
  afterAll(async () => t?.close());

  async function logIn(email: string, password = DEMO_PASSWORD): Promise<LoggedIn> {
    const data = await t.gql.ok<{ logIn: LoggedIn }>(LOG_IN, { input: { email, password } });
    return data.logIn;
  }

  /** Every e-mail in the admin user list, across pages. */
  async function listedEmails(adminToken: string): Promise<string[]> {
    const emails: string[] = [];
    let after: string | undefined;
    for (;;) {
      const data = await t.gql.as(adminToken).ok<{
        users: { edges: Array<{ node: { email: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
      }>(USERS, { after });
      emails.push(...data.users.edges.map((e) => e.node.email));
      if (!data.users.pageInfo.hasNextPage) return emails;
      after = data.users.pageInfo.endCursor;
    }
  }

  it('has created every demo account by the time the server is listening, each with its role and zone', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const { accessToken, user } = await logIn(account.email);
      expect(accessToken).toEqual(expect.any(String));
      expect(user).toMatchObject({
        email: account.email,
        roles: [account.role],
        displayName: account.displayName,
        timeZone: account.timeZone,
        status: 'ACTIVE',
      });
    }
    expect(byRole('TEACHER').timeZone).toBe('America/New_York');
    expect(byRole('STUDENT').timeZone).toBe('Europe/Berlin');
  });

  it('gives the demo admin real admin rights and the others none', async () => {
    const admin = await logIn(byRole('ADMIN').email);
    const emails = await listedEmails(admin.accessToken);
    expect(emails).toEqual(expect.arrayContaining(DEMO_ACCOUNTS.map((a) => a.email)));

    const student = await logIn(byRole('STUDENT').email);
    const res = await t.gql.as(student.accessToken).request(USERS);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('rejects a wrong password for a demo account', async () => {
    const res = await t.gql.request(LOG_IN, { input: { email: byRole('TEACHER').email, password: 'not-the-demo-password' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is idempotent: seeding again creates nothing and leaves each account once, with the same id', async () => {
    const before = await Promise.all(DEMO_ACCOUNTS.map((a) => logIn(a.email)));

    await expect(t.app.get(DemoSeedService).seed()).resolves.toEqual({ created: 0, alreadyPresent: DEMO_ACCOUNTS.length });

    const after = await Promise.all(DEMO_ACCOUNTS.map((a) => logIn(a.email)));
    expect(after.map((l) => l.user.id)).toEqual(before.map((l) => l.user.id));
    expect(after.map((l) => l.user.roles)).toEqual(DEMO_ACCOUNTS.map((a) => [a.role]));

    const emails = await listedEmails(after[DEMO_ACCOUNTS.indexOf(byRole('ADMIN'))].accessToken);
    for (const account of DEMO_ACCOUNTS) {
      expect(emails.filter((e) => e === account.email)).toHaveLength(1);
    }
  });

  it('prints one `email / password (role)` line per demo account', () => {
    const lines = demoLoginLines();
    for (const account of DEMO_ACCOUNTS) {
      expect(lines).toContain(`  ${account.email} / ${DEMO_PASSWORD} (${account.role})`);
    }
  });
});

describe('demo seed (default configuration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
  });
  afterAll(async () => t?.close());

  it('creates no demo account unless SEED_DEMO_DATA is on', async () => {
    const res = await t.gql.request(LOG_IN, { input: { email: DEMO_ACCOUNTS[0].email, password: DEMO_PASSWORD } });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
