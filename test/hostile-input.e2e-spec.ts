import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';

/**
 * Input a client should not send, answered as the client's mistake (BAD_USER_INPUT naming the
 * field, or a 400), never as INTERNAL_SERVER_ERROR: explicit nulls, ill-formed Unicode, and a
 * subscription over HTTP.
 */
describe('hostile input at the edge', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  let admin: TestAccount;

  type Res = Awaited<ReturnType<TestApp['gql']['request']>>;
  const fields = (res: Res) => (res.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field);
  const expectBadInput = (res: Res, ...expected: string[]) => {
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(fields(res).sort()).toEqual(expected.sort());
  };
  const book = (who: TestAccount, hours: number, note?: string | null) =>
    who.gql.request(REQUEST_LESSON, {
      input: {
        teacherId: teacher.id,
        start: hoursFromNow(hours).toISOString(),
        durationMinutes: 60,
        format: 'ONLINE',
        note,
      },
    });

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', AUTH_RATE_LIMIT_PER_ACCOUNT: '1000' } });
    [teacher, student, admin] = await Promise.all([
      createTeacher(t),
      createAccount(t, 'STUDENT'),
      createAccount(t, 'ADMIN'),
    ]);
  });
  afterAll(async () => t?.close());

  describe('explicit null', () => {
    it('into a field that may be left out but not null is BAD_USER_INPUT naming it (updateMe)', async () => {
      expectBadInput(
        await student.gql.request('mutation { updateMe(input: { displayName: null }) { id } }'),
        'input.displayName',
      );
      expectBadInput(
        await student.gql.request('mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }', {
          i: { displayName: null, timeZone: null },
        }),
        'input.displayName',
        'input.timeZone',
      );
      const me = await student.gql.ok('{ me { displayName timeZone } }');
      expect(me.me.timeZone).toBe('Europe/Berlin');
    });

    it('is refused where it has no meaning in a teacher profile, and clears where documented', async () => {
      const UPSERT = 'mutation($i: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $i) { id headline } }';
      expectBadInput(
        await teacher.gql.request(UPSERT, {
          i: { slug: null, instruments: null, timeZone: null, policies: { minNoticeHours: null } },
        }),
        'input.slug',
        'input.instruments',
        'input.timeZone',
        'input.policies.minNoticeHours',
      );
      const cleared = await teacher.gql.ok(UPSERT, { i: { headline: null, bio: null } });
      expect(cleared.upsertMyTeacherProfile.headline).toBeNull();
    });

    it('means "not given" for filters, page arguments, optional notes and reasons', async () => {
      const search = await t.gql.request(
        'query($f: TeacherSearchFilter) { searchTeachers(filter: $f, first: null, after: null, sort: null) { edges { node { id } } } }',
        { f: { text: null, instrument: null, price: null, near: null, minRating: null, language: null } },
      );
      expect(search.errors).toBeUndefined();
      expect(search.data!.searchTeachers.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(teacher.id);

      const users = await admin.gql.request(
        '{ users(filter: { role: null, status: null, search: null }, first: null) { edges { node { id } } } }',
      );
      expect(users.errors).toBeUndefined();

      const requested = await book(student, 30, null);
      expect(requested.errors).toBeUndefined();
      expect(requested.data!.requestLesson.note).toBeNull();
      const id = requested.data!.requestLesson.id;

      const mine = await student.gql.request(
        '{ myLessons(as: AS_STUDENT, statuses: null, from: null, to: null) { edges { node { id } } } }',
      );
      expect(mine.errors).toBeUndefined();
      expect(mine.data!.myLessons.edges).toHaveLength(1);

      const cancelled = await student.gql.request(
        'mutation($id: ID!) { cancelLesson(id: $id, reason: null, idempotencyKey: null) { status cancellation { reason } } }',
        { id },
      );
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.cancelLesson.status).toBe('CANCELLED');
    });
  });

  describe('ill-formed Unicode (lone UTF-16 surrogates)', () => {
    const SIGN_UP = 'mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }';
    const signUpInput = (displayName: string) => ({
      email: `u${Date.now()}${Math.random().toString(36).slice(2)}@example.test`,
      password: 'a long enough password',
      displayName,
      timeZone: 'UTC',
      role: 'STUDENT',
    });

    it('in a variable is BAD_USER_INPUT naming the field, and nothing is stored', async () => {
      const input = signUpInput('x\ud800');
      const res = await t.gql.request(SIGN_UP, { i: input });
      expectBadInput(res, 'input.displayName');
      expect(res.errors![0].message).toMatch(/well-formed Unicode/);
      // The address was not taken by a half-written account.
      expect((await t.gql.request(SIGN_UP, { i: { ...input, displayName: 'x' } })).errors).toBeUndefined();
      expectBadInput(await book(student, 40, 'n\ud800'), 'input.note');
      expectBadInput(
        await student.gql.request('mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }', {
          i: { displayName: '\udc00x' },
        }),
        'input.displayName',
      );
    });

    it('in lists, nested inputs and scalar arguments names each one', async () => {
      expectBadInput(
        await teacher.gql.request(
          'mutation($i: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $i) { id } }',
          {
            i: {
              genres: ['Jazz', 'Bl\ud83dues'],
              location: { city: '\udfff', country: 'DE', latitude: 1, longitude: 2 },
            },
          },
        ),
        'input.genres.1',
        'input.location.city',
      );
      expectBadInput(
        await t.gql.request('query($f: TeacherSearchFilter) { searchTeachers(filter: $f) { edges { cursor } } }', {
          f: { text: 'pia\ud800no' },
        }),
        'filter.text',
      );
      expectBadInput(
        await t.gql.request('query($s: String!) { teacherBySlug(slug: $s) { id } }', { s: 's\ud800' }),
        'slug',
      );
      expectBadInput(
        await t.gql.request('mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken } }', {
          r: '\ud800',
        }),
        'refreshToken',
      );
    });

    it('written into a literal (escaped or raw) is BAD_USER_INPUT naming the argument', async () => {
      const escaped = await t.gql.request(
        'mutation { signUp(input: { email: "e@example.test", password: "a long enough password", displayName: "x\\ud800", timeZone: "UTC", role: STUDENT }) { user { id } } }',
      );
      expect(escaped.status).toBe(400);
      expectBadInput(escaped, 'input.displayName');
      const raw = await student.gql.request(
        `mutation { requestLesson(input: { teacherId: "${teacher.id}", start: "2030-01-01T10:00:00Z", durationMinutes: 60, format: ONLINE, note: "n\ud800" }) { id } }`,
      );
      expectBadInput(raw, 'input.note');
      const listed = await t.gql.request('{ searchTeachers(filter: { text: "ok \\u{DC00}" }) { edges { cursor } } }');
      expectBadInput(listed, 'filter.text');
    });

    it('a well-formed surrogate pair (an emoji) is fine', async () => {
      const res = await t.gql.request(SIGN_UP, { i: signUpInput('Ana 🎹') });
      expect(res.errors).toBeUndefined();
      const literal = await student.gql.request(
        'mutation { updateMe(input: { displayName: "Ben \\ud83c\\udfb8" }) { displayName } }',
      );
      expect(literal.data?.updateMe.displayName).toBe('Ben 🎸');
    });
  });

  describe('a subscription sent over HTTP', () => {
    it('is refused as a bad request (400, BAD_REQUEST) pointing at WebSocket, for anyone', async () => {
      for (const client of [t.gql, student.gql]) {
        const res = await client.request('subscription { lessonUpdated { id } }');
        expect(res.status).toBe(400);
        expect(res.errors).toHaveLength(1);
        expect(res.errors![0].extensions?.code).toBe('BAD_REQUEST');
        expect(res.errors![0].message).toMatch(/WebSocket/);
        expect(res.data).toBeUndefined();
      }
      const named = await student.gql.request('subscription Events { accountEvents { type } }');
      expect(named.status).toBe(400);
      expect(named.errors![0].extensions?.code).toBe('BAD_REQUEST');
    });
  });
});
