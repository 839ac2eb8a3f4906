import {
  createAccount,
  createTeacher,
  hoursFromNow,
  LESSON_FIELDS,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';
import { LessonExpiryJob } from '../src/bookings/lesson-expiry.job';

const RESCHEDULE = `mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { ${LESSON_FIELDS} } }`;
const LESSON = `query($id: ID!) { lesson(id: $id) { ${LESSON_FIELDS} } }`;
const OPEN_SLOTS = `query($teacherId: ID!, $from: DateTime!, $to: DateTime!) { openSlots(teacherId: $teacherId, from: $from, to: $to, durationMinutes: 60) { start } }`;

describe('bookings under concurrency', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let students: TestAccount[];
  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '10000', LESSON_PENDING_TTL_MINUTES: '60' } });
    teacher = await createTeacher(t, { policies: { bufferMinutes: 15 } });
    students = [];
    for (let i = 0; i < 10; i++) students.push(await createAccount(t, 'STUDENT'));
  });
  afterAll(async () => t?.close());

  const input = (start: Date, extra: Record<string, unknown> = {}) => ({
    input: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 60, format: 'ONLINE', ...extra },
  });
  const isOpen = async (start: Date) =>
    (
      await t.gql.ok(OPEN_SLOTS, {
        teacherId: teacher.id,
        from: start.toISOString(),
        to: new Date(start.getTime() + 1).toISOString(),
      })
    ).openSlots.length === 1;

  it('50 concurrent requests for one slot: exactly 1 PENDING lesson, 49 SLOT_UNAVAILABLE', async () => {
    const start = hoursFromNow(30);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => students[i % students.length].gql.request(REQUEST_LESSON, input(start))),
    );
    const won = results.filter((r) => r.data?.requestLesson);
    const lost = results.filter((r) => code(r) === 'SLOT_UNAVAILABLE');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    expect(won[0].data!.requestLesson.status).toBe('PENDING');
    // And overlapping starts (another length, 15 minutes later) are refused too.
    const overlapping = await students[1].gql.request(
      REQUEST_LESSON,
      input(new Date(start.getTime() + 15 * 60_000), { durationMinutes: 30 }),
    );
    expect(code(overlapping)).toBe('SLOT_UNAVAILABLE');
    const teacherLessons = await teacher.gql.ok(
      `{ myLessons(as: AS_TEACHER, first: 100) { edges { node { id start status } } } }`,
    );
    expect(teacherLessons.myLessons.edges.filter((e: any) => e.node.start === start.toISOString())).toHaveLength(1);
  });

  it('a reschedule racing a new request for the same slot: exactly one wins, nothing half-written', async () => {
    for (let round = 0; round < 5; round++) {
      const original = hoursFromNow(60 + round * 10);
      const contested = hoursFromNow(64 + round * 10);
      const mover = students[0];
      const lesson = (await mover.gql.ok(REQUEST_LESSON, input(original))).requestLesson;
      const [moved, requested] = await Promise.all([
        mover.gql.request(RESCHEDULE, { input: { lessonId: lesson.id, start: contested.toISOString() } }),
        students[1].gql.request(REQUEST_LESSON, input(contested)),
      ]);
      const outcomes = [moved.data ? 'moved' : code(moved), requested.data ? 'requested' : code(requested)];
      expect(outcomes.filter((o) => o === 'SLOT_UNAVAILABLE')).toHaveLength(1);
      const after = (await mover.gql.ok(LESSON, { id: lesson.id })).lesson;
      if (moved.data) {
        expect(after.start).toBe(contested.toISOString());
        expect(await isOpen(original)).toBe(true); // old slot freed
      } else {
        expect(after.start).toBe(original.toISOString()); // untouched
        expect(await isOpen(original)).toBe(false); // still held
      }
      expect(await isOpen(contested)).toBe(false);
    }
  });

  it('retrying requestLesson with the same idempotency key returns the first result, even concurrently', async () => {
    const start = hoursFromNow(150);
    const key = `retry-${Date.now()}`;
    const first = (await students[2].gql.ok(REQUEST_LESSON, { ...input(start), key })).requestLesson;
    const retry = (await students[2].gql.ok(REQUEST_LESSON, { ...input(start), key })).requestLesson;
    expect(retry.id).toBe(first.id);
    const racing = await Promise.all(
      Array.from({ length: 5 }, () =>
        students[3].gql.request(REQUEST_LESSON, { ...input(hoursFromNow(160)), key: 'same-key' }),
      ),
    );
    const ids = new Set(racing.map((r) => r.data?.requestLesson?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeTruthy();
    // The same key for a different request is a client bug.
    const misuse = await students[2].gql.request(REQUEST_LESSON, { ...input(hoursFromNow(170)), key });
    expect(code(misuse)).toBe('CONFLICT');
    // Keys are per user: another student's identical key is independent.
    const other = (await students[4].gql.ok(REQUEST_LESSON, { ...input(hoursFromNow(180)), key })).requestLesson;
    expect(other.id).not.toBe(first.id);
  });

  it('expiry turns an unanswered request EXPIRED and releases its hold', async () => {
    const start = hoursFromNow(300);
    const lesson = (await students[5].gql.ok(REQUEST_LESSON, input(start))).requestLesson;
    expect(new Date(lesson.pendingExpiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
    expect(await isOpen(start)).toBe(false);
    const job = t.app.get(LessonExpiryJob);
    expect(await job.sweep()).toBe(0); // not yet due
    t.clock.advance(61 * 60_000);
    expect(await job.sweep()).toBeGreaterThanOrEqual(1);
    const expired = (await students[5].gql.ok(LESSON, { id: lesson.id })).lesson;
    expect(expired.status).toBe('EXPIRED');
    expect(expired.history[1]).toMatchObject({ action: 'EXPIRE', by: 'system', from: 'PENDING', to: 'EXPIRED' });
    expect(await isOpen(start)).toBe(true);
    // A confirmed lesson never expires.
    const kept = (await students[6].gql.ok(REQUEST_LESSON, input(hoursFromNow(320)))).requestLesson;
    await teacher.gql.ok(`mutation($id: ID!) { confirmLesson(id: $id) { id } }`, { id: kept.id });
    t.clock.advance(2 * 3_600_000);
    await job.sweep();
    expect((await students[6].gql.ok(LESSON, { id: kept.id })).lesson.status).toBe('CONFIRMED');
  });
});
