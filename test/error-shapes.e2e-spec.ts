import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import {
  createAccount,
  createTeacher,
  GraphQLResponse,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';
import { ProbeModule } from '@app/testing/probe.module';

/**
 * One shape of `extensions` per error code (README "Errors, for client developers"): each code is
 * triggered through the real server and its extensions are checked key by key.
 */
const SHAPES: Record<string, { required: string[]; optional?: string[] }> = {
  BAD_USER_INPUT: { required: ['fields'] },
  UNAUTHENTICATED: { required: [] },
  FORBIDDEN: { required: [], optional: ['reason', 'field'] },
  NOT_FOUND: { required: ['entity'], optional: ['field'] },
  CONFLICT: { required: ['reason'], optional: ['field', 'currentStatus', 'missing'] },
  SLOT_UNAVAILABLE: { required: ['conflicts'] },
  RATE_LIMITED: { required: ['retryAfterSeconds'] },
  SERVICE_UNAVAILABLE: { required: ['requestId', 'retryable'] },
  INTERNAL_SERVER_ERROR: { required: ['requestId', 'retryable'] },
};

/** The one error of a response, with its extensions checked against the shape of its code. */
function shaped(res: GraphQLResponse, code: string): Record<string, any> {
  expect(res.errors).toHaveLength(1);
  const extensions = res.errors![0].extensions as Record<string, any>;
  expect(extensions.code).toBe(code);
  const { required, optional = [] } = SHAPES[code];
  const keys = Object.keys(extensions).filter((k) => k !== 'code');
  expect(keys.filter((k) => !required.includes(k) && !optional.includes(k))).toEqual([]);
  for (const key of required) expect(extensions).toHaveProperty(key);
  switch (code) {
    case 'BAD_USER_INPUT':
      expect(extensions.fields.length).toBeGreaterThan(0);
      for (const f of extensions.fields) expect(Object.keys(f).sort()).toEqual(['field', 'message']);
      break;
    case 'CONFLICT':
      expect(extensions.reason).toMatch(/^[A-Z][A-Z0-9_]*$/);
      break;
    case 'SLOT_UNAVAILABLE':
      for (const c of extensions.conflicts) {
        expect(Object.keys(c).sort()).toEqual(['localDate', 'reason', 'start']);
        expect(c.localDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(['TAKEN', 'OUTSIDE_AVAILABILITY', 'TOO_SOON', 'TOO_FAR_AHEAD']).toContain(c.reason);
      }
      break;
    case 'RATE_LIMITED':
      expect(extensions.retryAfterSeconds).toBeGreaterThan(0);
      break;
    case 'SERVICE_UNAVAILABLE':
      expect(extensions.retryable).toBe(true);
      break;
    case 'INTERNAL_SERVER_ERROR':
      expect(extensions.retryable).toBe(false);
      break;
  }
  return extensions;
}

describe('error extensions: one shape per code', () => {
  let t: TestApp;
  let student: TestAccount;
  let teacher: TestAccount;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule], config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    [student, teacher] = await Promise.all([createAccount(t, 'STUDENT'), createTeacher(t)]);
  });
  afterAll(async () => t?.close());

  const lessonInput = (start: Date) => ({
    input: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 60, format: 'ONLINE' },
  });

  describe('BAD_USER_INPUT: fields [{ field, message }]', () => {
    it('from the input rules', async () => {
      const res = await t.gql.request('mutation { probeValidate(input: { email: "nope", count: 42 }) }');
      expect(
        shaped(res, 'BAD_USER_INPUT')
          .fields.map((f: any) => f.field)
          .sort(),
      ).toEqual(['input.count', 'input.email']);
    });

    it('from a service rule', async () => {
      const res = await teacher.gql.request(REQUEST_LESSON, { input: { ...lessonInput(hoursFromNow(30)).input } });
      expect(shaped(res, 'BAD_USER_INPUT').fields).toEqual([
        { field: 'input.teacherId', message: 'you cannot book a lesson with yourself' },
      ]);
    });

    it('from a variable of the wrong type', async () => {
      const res = await t.gql.request('mutation($n: Int!) { probeValidate(input: { email: "a@b.co", count: $n }) }', {
        n: 'three',
      });
      expect(shaped(res, 'BAD_USER_INPUT').fields).toEqual([
        { field: 'n', message: 'Int cannot represent non-integer value: "three"' },
      ]);
    });

    it('from a typed scalar, in a variable, naming the nested field', async () => {
      const SET = 'mutation($input: SetAvailabilityOverridesInput!) { setAvailabilityOverrides(input: $input) }';
      const res = await teacher.gql.request(SET, {
        input: {
          overrides: [
            { date: '2027-01-05', windows: [] },
            { date: '2027-02-30', windows: [] },
          ],
        },
      });
      expect(shaped(res, 'BAD_USER_INPUT').fields).toEqual([
        { field: 'input.overrides.1.date', message: 'date must be a calendar date YYYY-MM-DD' },
      ]);
    });

    it('from a typed scalar written in the query, naming the argument path', async () => {
      const literal = await teacher.gql.request(
        'mutation { setAvailabilityOverrides(input: { overrides: [{ date: "2027-01-05", windows: [{ start: "9am", end: "10:00" }] }] }) }',
      );
      expect(shaped(literal, 'BAD_USER_INPUT').fields).toEqual([
        { field: 'input.overrides.0.windows.0.start', message: 'start must be a 24-hour time HH:mm' },
      ]);
      const arg = await teacher.gql.request(
        '{ myAvailabilityOverrides(fromDate: "soon", toDate: "2027-01-31") { date } }',
      );
      expect(shaped(arg, 'BAD_USER_INPUT').fields).toEqual([
        { field: 'fromDate', message: 'fromDate must be a calendar date YYYY-MM-DD' },
      ]);
    });

    it('the typed scalars normalise what they accept', async () => {
      const UPDATE = 'mutation($tz: TimeZone) { updateMe(input: { timeZone: $tz }) { timeZone } }';
      expect((await student.gql.ok(UPDATE, { tz: 'europe/kiev' })).updateMe.timeZone).toBe('Europe/Kyiv');
      const offset = await student.gql.request(UPDATE, { tz: '+02:00' });
      expect(shaped(offset, 'BAD_USER_INPUT').fields[0].field).toBe('input.timeZone');
      const email = await t.gql.request(
        'mutation { logIn(input: { email: "not an address", password: "x" }) { accessToken } }',
      );
      expect(shaped(email, 'BAD_USER_INPUT').fields).toEqual([
        { field: 'input.email', message: 'email must be an e-mail address such as ada@example.com' },
      ]);
    });
  });

  it('UNAUTHENTICATED and FORBIDDEN carry nothing but the code', async () => {
    shaped(await t.gql.request('{ me { id } }'), 'UNAUTHENTICATED');
    shaped(await student.gql.request('{ users { edges { node { id } } } }'), 'FORBIDDEN');
  });

  it('FORBIDDEN may name the argument and a reason (chat: a conversation of others)', async () => {
    const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { conversationId } }';
    const first = await student.gql.ok(SEND, { input: { toUserId: teacher.id, clientMessageId: ulid(), text: 'hi' } });
    const stranger = await createAccount(t, 'STUDENT');
    const res = await stranger.gql.request(SEND, {
      input: { conversationId: first.sendMessage.conversationId, clientMessageId: ulid(), text: 'intruder' },
    });
    expect(shaped(res, 'FORBIDDEN')).toMatchObject({ reason: 'NOT_A_PARTICIPANT', field: 'input.conversationId' });
  });

  it('NOT_FOUND (a mutation on something missing) names the entity', async () => {
    const res = await student.gql.request('mutation($id: ID!) { cancelLesson(id: $id) { id } }', { id: ulid() });
    expect(shaped(res, 'NOT_FOUND').entity).toBe('Lesson');
    const message = await student.gql.request('mutation($id: ID!) { deleteMessage(id: $id) { id } }', { id: ulid() });
    expect(shaped(message, 'NOT_FOUND')).toEqual({ code: 'NOT_FOUND', entity: 'Message', field: 'id' });
  });

  it('a lookup that misses is null and leaves the rest of the response intact', async () => {
    const res = await student.gql.request(
      'query($id: ID!) { serverTime teacher(id: "nope") { id } teacherBySlug(slug: "no-such-page") { id } user(id: $id) { id } lesson(id: $id) { id } }',
      { id: ulid() },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      serverTime: expect.any(String),
      teacher: null,
      teacherBySlug: null,
      user: null,
      lesson: null,
    });
  });

  describe('CONFLICT: a reason, plus field, currentStatus or missing', () => {
    it('an illegal transition names the current status', async () => {
      const lesson = (await student.gql.ok(REQUEST_LESSON, lessonInput(hoursFromNow(40)))).requestLesson;
      await student.gql.ok('mutation($id: ID!) { cancelLesson(id: $id) { id } }', { id: lesson.id });
      const res = await teacher.gql.request('mutation($id: ID!) { confirmLesson(id: $id) { id } }', { id: lesson.id });
      expect(shaped(res, 'CONFLICT')).toEqual({
        code: 'CONFLICT',
        reason: 'ILLEGAL_TRANSITION',
        currentStatus: 'CANCELLED',
      });
    });

    it('a taken e-mail address names the field', async () => {
      const res = await t.gql.request('mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
        input: {
          email: student.email,
          password: 'a long enough password',
          displayName: 'Twin',
          timeZone: 'UTC',
          role: 'STUDENT',
        },
      });
      expect(shaped(res, 'CONFLICT')).toEqual({ code: 'CONFLICT', reason: 'EMAIL_TAKEN', field: 'input.email' });
    });

    it('an incomplete profile names what is missing', async () => {
      const bare = await createAccount(t, 'TEACHER');
      await bare.gql.ok(
        'mutation { upsertMyTeacherProfile(input: { slug: "' + `bare-${ulid().toLowerCase()}` + '" }) { id } }',
      );
      const res = await bare.gql.request('mutation { publishMyTeacherProfile { id } }');
      expect(shaped(res, 'CONFLICT')).toEqual({
        code: 'CONFLICT',
        reason: 'PROFILE_INCOMPLETE',
        missing: ['instruments', 'offerings', 'formats'],
      });
    });
  });

  describe('SLOT_UNAVAILABLE: conflicts [{ start, localDate, reason }]', () => {
    it('a taken time', async () => {
      const start = hoursFromNow(50);
      await student.gql.ok(REQUEST_LESSON, lessonInput(start));
      const rival = await createAccount(t, 'STUDENT');
      const res = await rival.gql.request(REQUEST_LESSON, lessonInput(start));
      expect(shaped(res, 'SLOT_UNAVAILABLE').conflicts).toEqual([
        { start: start.toISOString(), localDate: start.toISOString().slice(0, 10), reason: 'TAKEN' },
      ]);
    });

    it('a series crossing a day off answers like a taken date', async () => {
      const first = hoursFromNow(24 * 3);
      const dayOff = new Date(first.getTime() + 7 * 86_400_000);
      const localDayOff = dayOff.toISOString().slice(0, 10);
      await teacher.gql.ok(
        'mutation($d: LocalDate!) { setAvailabilityOverrides(input: { overrides: [{ date: $d, windows: [] }] }) }',
        {
          d: localDayOff,
        },
      );
      const SERIES = 'mutation($input: RequestLessonSeriesInput!) { requestLessonSeries(input: $input) { id } }';
      const res = await student.gql.request(SERIES, { input: { ...lessonInput(first).input, occurrences: 3 } });
      expect(shaped(res, 'SLOT_UNAVAILABLE').conflicts).toEqual([
        { start: dayOff.toISOString(), localDate: localDayOff, reason: 'OUTSIDE_AVAILABILITY' },
      ]);
    });
  });

  it('RATE_LIMITED says when to retry', async () => {
    const LOG_IN = 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }';
    const victim = await createAccount(t, 'STUDENT');
    let res: GraphQLResponse | undefined;
    for (let i = 0; i < 10; i++) {
      res = await t.gql.request(LOG_IN, { input: { email: victim.email, password: 'wrong password!!' } });
      if (res.errors?.[0].extensions?.code === 'RATE_LIMITED') break;
    }
    expect(typeof shaped(res!, 'RATE_LIMITED').retryAfterSeconds).toBe('number');
  });

  it('SERVICE_UNAVAILABLE and INTERNAL_SERVER_ERROR carry the request id and whether a retry can help', async () => {
    const down = await t.gql.request('{ probeUnavailable }', undefined, { 'x-request-id': 'req-down-1' });
    expect(shaped(down, 'SERVICE_UNAVAILABLE')).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      requestId: 'req-down-1',
      retryable: true,
    });
    const broken = await t.gql.request('{ probeFailure }', undefined, { 'x-request-id': 'req-bug-1' });
    expect(shaped(broken, 'INTERNAL_SERVER_ERROR')).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      requestId: 'req-bug-1',
      retryable: false,
    });
  });

  it('the README documents every CONFLICT reason the code can give', () => {
    // `new ConflictError(…, { reason: 'X' })`, or a literal reason passed to a helper named `…Conflict(`.
    const CONFLICT_REASON =
      /new ConflictError\([\s\S]{0,400}?reason: '([A-Z][A-Z0-9_]*)'|\w*Conflict\([^()]*?'([A-Z][A-Z0-9_]*)'\)/g;
    const root = join(__dirname, '..');
    const reasons = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !name.endsWith('.spec.ts'))
          for (const m of readFileSync(path, 'utf8').matchAll(CONFLICT_REASON)) reasons.add(m[1] ?? m[2]);
      }
    };
    walk(join(root, 'src'));
    expect(reasons.size).toBeGreaterThanOrEqual(17);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect([...reasons].filter((r) => !readme.includes(`\`${r}\``))).toEqual([]);
  });
});
