import { startTestApp, TestApp } from '@app/testing';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoLoginLines } from '../src/seed/demo-accounts';
import { DemoSeedService } from '../src/seed/demo-seed.service';
import { DEMO_TEACHERS } from '../src/seed/demo-teachers';

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
    const res = await t.gql.request(LOG_IN, {
      input: { email: byRole('TEACHER').email, password: 'not-the-demo-password' },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is idempotent: seeding again creates nothing and leaves each account once, with the same id', async () => {
    const before = await Promise.all(DEMO_ACCOUNTS.map((a) => logIn(a.email)));

    await expect(t.app.get(DemoSeedService).seed()).resolves.toEqual({
      created: 0,
      alreadyPresent: DEMO_ACCOUNTS.length + DEMO_TEACHERS.length,
      teacherProfiles: { created: 0, alreadyPresent: DEMO_TEACHERS.length + 1 },
      photos: 0,
    });

    const after = await Promise.all(DEMO_ACCOUNTS.map((a) => logIn(a.email)));
    expect(after.map((l) => l.user.id)).toEqual(before.map((l) => l.user.id));
    expect(after.map((l) => l.user.roles)).toEqual(DEMO_ACCOUNTS.map((a) => [a.role]));

    const emails = await listedEmails(after[DEMO_ACCOUNTS.indexOf(byRole('ADMIN'))].accessToken);
    for (const account of DEMO_ACCOUNTS) {
      expect(emails.filter((e) => e === account.email)).toHaveLength(1);
    }
  });

  it('gives every demo teacher a generated photo, stored and derived like an upload', async () => {
    const PHOTOS = `query($first: Int = 100) { searchTeachers(first: $first) { edges { node { displayName photo { status width height blurhash variant(size: THUMB_128) { url } } } } } }`;
    const nodes = (await t.gql.ok(PHOTOS)).searchTeachers.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(DEMO_TEACHERS.length + 1);
    for (const node of nodes) {
      expect(node.photo).toMatchObject({ status: 'READY', width: 800, height: 800, blurhash: expect.any(String) });
    }
    const res = await fetch(nodes[0].photo.variant.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
  });

  it('publishes the demo teacher and about fifty teachers worldwide, each with a TEACHER login', async () => {
    const SEARCH = `query($filter: TeacherSearchFilter, $first: Int = 100) {
      searchTeachers(filter: $filter, first: $first) { edges { node { id slug displayName instruments { name } location { country } offerings { currency } } } pageInfo { hasNextPage } }
    }`;
    const all = (await t.gql.ok(SEARCH)).searchTeachers;
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.edges).toHaveLength(DEMO_TEACHERS.length + 1);
    const nodes = all.edges.map((e: any) => e.node);
    expect(new Set(nodes.map((n: any) => n.location.country)).size).toBeGreaterThanOrEqual(25);
    expect(new Set(nodes.flatMap((n: any) => n.offerings.map((o: any) => o.currency))).size).toBeGreaterThanOrEqual(15);
    expect(new Set(nodes.flatMap((n: any) => n.instruments.map((i: any) => i.name))).size).toBeGreaterThanOrEqual(20);

    const clara = await logIn(byRole('TEACHER').email);
    const { teacher } = await t.gql.ok(`query($id: ID!) { teacher(id: $id) { slug published displayName timeZone } }`, {
      id: clara.user.id,
    });
    expect(teacher).toEqual({
      slug: 'clara-whitfield',
      published: true,
      displayName: 'Clara Whitfield',
      timeZone: 'America/New_York',
    });

    const fifth = await logIn('teacher.05@demo.takesessions.test');
    expect(fifth.user.roles).toEqual(['TEACHER']);
    expect(nodes.find((n: any) => n.id === fifth.user.id)).toMatchObject({
      displayName: DEMO_TEACHERS[4].displayName,
      slug: DEMO_TEACHERS[4].slug,
    });

    const nearParis = await t.gql.ok(SEARCH, {
      filter: { near: { latitude: 48.8566, longitude: 2.3522, radiusKm: 50 } },
    });
    expect(nearParis.searchTeachers.edges.map((e: any) => e.node.slug)).toEqual(['camille-laurent']);
  });

  it('gives every demo teacher weekly hours, so a student can book from the first start', async () => {
    const search = await t.gql.ok('query($first: Int) { searchTeachers(first: $first) { edges { node { id } } } }', {
      first: 100,
    });
    const ids: string[] = search.searchTeachers.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids.length).toBeGreaterThanOrEqual(50);
    const from = new Date(Date.now() + 2 * 86_400_000);
    const to = new Date(from.getTime() + 8 * 86_400_000);
    const SLOTS =
      'query($id: ID!, $from: DateTime!, $to: DateTime!, $d: Int!) { openSlots(teacherId: $id, from: $from, to: $to, durationMinutes: $d) { start } }';
    const TEACHER = 'query($id: ID!) { teacher(id: $id) { offerings { durationMinutes } } }';
    for (const id of ids.slice(0, 5)) {
      const duration = (await t.gql.ok(TEACHER, { id })).teacher.offerings[0].durationMinutes;
      const open = await t.gql.ok(SLOTS, { id, from: from.toISOString(), to: to.toISOString(), d: duration });
      expect(open.openSlots.length).toBeGreaterThan(10);
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
