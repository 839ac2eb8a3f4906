import { DateTime } from 'luxon';
import {
  createAccount,
  createTeacher,
  LESSON_FIELDS,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';

const SERIES = `mutation($input: RequestLessonSeriesInput!, $key: String) { requestLessonSeries(input: $input, idempotencyKey: $key) { ${LESSON_FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelLesson(id: $id, reason: "holiday") { id status } }`;
const CANCEL_SERIES = `mutation($id: ID!) { cancelLessonSeries(fromLessonId: $id, reason: "moving away") { id start status seriesId } }`;
const CONFIRM = `mutation($id: ID!) { confirmLesson(id: $id) { id status } }`;
const OPEN_SLOTS = `query($teacherId: ID!, $from: DateTime!, $to: DateTime!) { openSlots(teacherId: $teacherId, from: $from, to: $to, durationMinutes: 60) { start } }`;
const MY_LESSONS = `query($as: LessonSide!) { myLessons(as: $as, first: 100) { edges { node { id start status seriesId teacherLocalStart } } } }`;
const OVERRIDES = `mutation($input: SetAvailabilityOverridesInput!) { setAvailabilityOverrides(input: $input) }`;

type Lesson = {
  id: string;
  start: string;
  end: string;
  status: string;
  seriesId: string | null;
  teacherLocalStart: string;
  teacherId: string;
  studentId: string;
};

const NY = 'America/New_York';

/** The next Sunday New York springs forward, at least `minDaysAhead` days away (2027-03-14 when this was written). */
function nextSpringForward(minDaysAhead: number): DateTime {
  let day = DateTime.now().setZone(NY).startOf('day').plus({ days: minDaysAhead });
  for (let i = 0; i < 800; i++, day = day.plus({ days: 1 })) {
    if (day.set({ hour: 12 }).offset > day.minus({ days: 1 }).set({ hour: 12 }).offset) return day;
  }
  throw new Error('no spring-forward date found');
}
/** D: the spring-forward Sunday. `day(n)` is the local date n days from it; EST (-05) before, EDT (-04) from it on. */
const D = nextSpringForward(15);
const day = (n: number) => D.plus({ days: n }).toISODate()!;
/** An instant written out by hand as date + UTC time, so expectations do not reuse the server's zone arithmetic. */
const at = (n: number, utcHour: number) => `${day(n)}T${String(utcHour).padStart(2, '0')}:00:00.000Z`;

/**
 * Weekly series in America/New_York across the US spring-forward (Sunday 2027-03-14 at the time of
 * writing: the dates are computed so the test keeps working later). The first occurrences are up to
 * ~13 months ahead, so the teacher allows booking two years ahead.
 */
describe('weekly lesson series', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  let rival: TestAccount;
  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    teacher = await createTeacher(t, { timeZone: NY, policies: { maxAdvanceDays: 730, bufferMinutes: 15 } });
    student = await createAccount(t, 'STUDENT');
    rival = await createAccount(t, 'STUDENT');
  });
  afterAll(async () => t?.close());

  const seriesInput = (start: string, extra: Record<string, unknown>, teacherId = teacher.id) => ({
    input: { teacherId, start, durationMinutes: 60, format: 'ONLINE', ...extra },
  });
  const isOpen = async (start: string, teacherId = teacher.id) =>
    (await t.gql.ok(OPEN_SLOTS, { teacherId, from: start, to: new Date(new Date(start).getTime() + 1).toISOString() }))
      .openSlots.length === 1;
  const myLessons = async (who: TestAccount, as = 'AS_STUDENT'): Promise<Lesson[]> =>
    (await who.gql.ok(MY_LESSONS, { as })).myLessons.edges.map((e: any) => e.node);
  const lesson = async (who: TestAccount, id: string) =>
    (await who.gql.ok(`query($id: ID!) { lesson(id: $id) { id status history { action } } }`, { id })).lesson;

  it('books every occurrence at the same local time across the DST change, one seriesId, each holding its slot', async () => {
    // Tuesdays at 16:00 local: 16:00 EST = 21:00Z before the change (2027-03-02, 03-09), 16:00 EDT = 20:00Z after (03-16, 03-23).
    const expected = [at(-12, 21), at(-5, 21), at(2, 20), at(9, 20)];
    for (const start of expected) expect(await isOpen(start)).toBe(true);
    const lessons: Lesson[] = (
      await student.gql.ok(SERIES, seriesInput(expected[0], { occurrences: 4, note: 'Bach inventions' }))
    ).requestLessonSeries;
    expect(lessons.map((l) => l.start)).toEqual(expected);
    expect(lessons.map((l) => l.teacherLocalStart)).toEqual([
      `${day(-12)}T16:00:00.000-05:00`,
      `${day(-5)}T16:00:00.000-05:00`,
      `${day(2)}T16:00:00.000-04:00`,
      `${day(9)}T16:00:00.000-04:00`,
    ]);
    expect(lessons.map((l) => new Date(l.end).getTime() - new Date(l.start).getTime())).toEqual(
      Array(4).fill(3_600_000),
    );
    const seriesId = lessons[0].seriesId;
    expect(seriesId).toBeTruthy();
    expect(new Set(lessons.map((l) => l.seriesId))).toEqual(new Set([seriesId]));
    expect(new Set(lessons.map((l) => l.id)).size).toBe(4);
    expect(
      lessons.every((l) => l.status === 'PENDING' && l.teacherId === teacher.id && l.studentId === student.id),
    ).toBe(true);
    for (const start of expected) expect(await isOpen(start)).toBe(false);
    // The same local hour a week before the first and after the last stays free.
    expect(await isOpen(at(-19, 21))).toBe(true);
    expect(await isOpen(at(16, 20))).toBe(true);
    const listed = (await myLessons(teacher, 'AS_TEACHER')).filter((l) => l.seriesId === seriesId);
    expect(listed.map((l) => l.id).sort()).toEqual(lessons.map((l) => l.id).sort());
  });

  it('`until` is an inclusive local date: four Tuesdays at 10:00 local', async () => {
    const lessons: Lesson[] = (await student.gql.ok(SERIES, seriesInput(at(-12, 15), { until: day(9) })))
      .requestLessonSeries;
    expect(lessons.map((l) => l.teacherLocalStart.slice(0, 16))).toEqual([
      `${day(-12)}T10:00`,
      `${day(-5)}T10:00`,
      `${day(2)}T10:00`,
      `${day(9)}T10:00`,
    ]);
    expect(lessons.map((l) => l.start)).toEqual([at(-12, 15), at(-5, 15), at(2, 14), at(9, 14)]);
  });

  it('a taken date fails the whole series with SLOT_UNAVAILABLE naming exactly the conflicting dates; nothing is booked', async () => {
    // Wednesdays 18:00 local (EST 23:00Z, then EDT 22:00Z); the rival already holds the third and the fifth.
    const starts = [at(-11, 23), at(-4, 23), at(3, 22), at(10, 22), at(17, 22)];
    for (const start of [starts[2], starts[4]]) {
      await rival.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start, durationMinutes: 60, format: 'ONLINE' },
      });
    }
    const before = await myLessons(student);
    const res = await student.gql.request(SERIES, seriesInput(starts[0], { occurrences: 5 }));
    expect(code(res)).toBe('SLOT_UNAVAILABLE');
    expect(res.data).toBeNull();
    expect(res.errors![0].message).toContain(`2 of 5 dates cannot be booked: ${day(3)}, ${day(17)}`);
    expect(res.errors![0].extensions!.conflicts).toEqual([
      { start: starts[2], localDate: day(3), reason: 'TAKEN' },
      { start: starts[4], localDate: day(17), reason: 'TAKEN' },
    ]);
    // Nothing was booked: the free dates are still open, and the student has no new lessons.
    for (const start of [starts[0], starts[1], starts[3]]) expect(await isOpen(start)).toBe(true);
    expect(await myLessons(student)).toEqual(before);
    expect((await myLessons(rival)).map((l) => l.start).sort()).toEqual([starts[2], starts[4]]);
  });

  it('a date outside the availability fails like a taken one: SLOT_UNAVAILABLE naming that date; nothing is booked', async () => {
    const other = await createTeacher(t, { timeZone: NY, policies: { maxAdvanceDays: 730 } });
    await other.gql.ok(OVERRIDES, { input: { overrides: [{ date: day(4), windows: [] }] } });
    // Thursdays 09:00 local; the third (after the change) is a day off.
    const res = await student.gql.request(SERIES, seriesInput(at(-10, 14), { occurrences: 3 }, other.id));
    expect(code(res)).toBe('SLOT_UNAVAILABLE');
    expect(res.errors![0].message).toBe(`1 of 3 dates cannot be booked: ${day(4)}`);
    expect(res.errors![0].extensions!.conflicts).toEqual([
      { start: at(4, 13), localDate: day(4), reason: 'OUTSIDE_AVAILABILITY' },
    ]);
    expect(await isOpen(at(-10, 14), other.id)).toBe(true);
    expect(await isOpen(at(-3, 14), other.id)).toBe(true);
    expect(await myLessons(other, 'AS_TEACHER')).toEqual([]);
    // With the day back, the same series books.
    await other.gql.ok(OVERRIDES, { input: { clear: [day(4)] } });
    const booked = (await student.gql.ok(SERIES, seriesInput(at(-10, 14), { occurrences: 3 }, other.id)))
      .requestLessonSeries;
    expect(booked.map((l: Lesson) => l.start)).toEqual([at(-10, 14), at(-3, 14), at(4, 13)]);
  });

  it('rejects bad series shapes with BAD_USER_INPUT', async () => {
    const start = at(23, 13);
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['27 occurrences', { occurrences: 27 }, 'occurrences', /at most 26/],
      ['1 occurrence', { occurrences: 1 }, 'occurrences', /at least 2/],
      [
        'both occurrences and until',
        { occurrences: 3, until: day(37) },
        'input.occurrences',
        /either occurrences or until/,
      ],
      ['neither occurrences nor until', {}, 'input.occurrences', /either occurrences or until/],
      ['until giving one occurrence', { until: day(29) }, 'input.until', /at least 2/],
      ['until giving 27 occurrences', { until: day(205) }, 'input.until', /at most 26/],
      ['until that is not a date', { until: 'next year' }, 'until', /YYYY-MM-DD/],
    ];
    for (const [label, extra, field, message] of cases) {
      const res = await student.gql.request(SERIES, seriesInput(start, extra));
      expect({ label, code: code(res) }).toEqual({ label, code: 'BAD_USER_INPUT' });
      const problem = res.errors![0].extensions!.fields[0];
      expect({ label, field: problem.field }).toEqual({ label, field: expect.stringContaining(field) });
      expect(problem.message).toMatch(message);
    }
    // 26 is allowed (the boundary), and none of the refused calls booked anything.
    expect(await isOpen(start)).toBe(true);
    const max = (await student.gql.ok(SERIES, seriesInput(start, { occurrences: 26 }))).requestLessonSeries;
    expect(max).toHaveLength(26);
    expect(new Set(max.map((l: Lesson) => l.teacherLocalStart.slice(11, 16)))).toEqual(new Set(['09:00']));
  });

  it('cancelLesson cancels one occurrence; cancelLessonSeries cancels that one and all following active ones only', async () => {
    // Fridays 12:00 local, six weeks.
    const lessons: Lesson[] = (await student.gql.ok(SERIES, seriesInput(at(-9, 17), { occurrences: 6 })))
      .requestLessonSeries;
    const [a0, a1, a2, a3, a4, a5] = lessons;
    await teacher.gql.ok(CONFIRM, { id: a0.id });
    await teacher.gql.ok(CONFIRM, { id: a3.id });

    expect((await student.gql.ok(CANCEL, { id: a4.id })).cancelLesson.status).toBe('CANCELLED');
    const afterOne = await Promise.all(lessons.map((l) => lesson(student, l.id)));
    expect(afterOne.map((l) => l.status)).toEqual([
      'CONFIRMED',
      'PENDING',
      'PENDING',
      'CONFIRMED',
      'CANCELLED',
      'PENDING',
    ]);
    expect(await isOpen(a4.start)).toBe(true);
    expect(await isOpen(a5.start)).toBe(false);

    // From the third on: the third, fourth and sixth are cancelled; the fifth stays as it was.
    const cancelled = (await teacher.gql.ok(CANCEL_SERIES, { id: a2.id })).cancelLessonSeries;
    expect(cancelled.map((l: Lesson) => l.id)).toEqual([a2.id, a3.id, a5.id]);
    expect(cancelled.every((l: Lesson) => l.status === 'CANCELLED' && l.seriesId === a0.seriesId)).toBe(true);
    const afterSeries = await Promise.all(lessons.map((l) => lesson(student, l.id)));
    expect(afterSeries.map((l) => l.status)).toEqual([
      'CONFIRMED',
      'PENDING',
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
    ]);
    // The fifth was cancelled once, not twice.
    expect(afterSeries[4].history.map((h: { action: string }) => h.action)).toEqual(['REQUEST', 'CANCEL']);
    for (const l of [a0, a1]) expect(await isOpen(l.start)).toBe(false);
    for (const l of [a2, a3, a4, a5]) expect(await isOpen(l.start)).toBe(true);

    // A lesson outside any series has no series to cancel.
    const single = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start: at(54, 16), durationMinutes: 60, format: 'ONLINE' },
      })
    ).requestLesson;
    expect(code(await student.gql.request(CANCEL_SERIES, { id: single.id }))).toBe('CONFLICT');
  });

  it('a retry with the same idempotency key returns the same lessons, also when retries race', async () => {
    const input = seriesInput(at(-13, 14), { occurrences: 3 }); // Mondays 09:00 local
    const first: Lesson[] = (await student.gql.ok(SERIES, { ...input, key: 'series-retry-1' })).requestLessonSeries;
    const retry: Lesson[] = (await student.gql.ok(SERIES, { ...input, key: 'series-retry-1' })).requestLessonSeries;
    expect(retry.map((l) => l.id)).toEqual(first.map((l) => l.id));
    expect(retry[0].seriesId).toBe(first[0].seriesId);

    const racing = await Promise.all(
      Array.from({ length: 4 }, () =>
        student.gql.request(SERIES, { ...seriesInput(at(-13, 18), { occurrences: 3 }), key: 'series-retry-2' }),
      ),
    );
    expect(racing.map((r) => r.errors ?? null)).toEqual([null, null, null, null]);
    const idLists = racing.map((r) => (r.data!.requestLessonSeries as Lesson[]).map((l) => l.id).join(','));
    expect(new Set(idLists).size).toBe(1);
    // Exactly one series was booked per key.
    const mine = await myLessons(student);
    expect(mine.filter((l) => l.teacherLocalStart.startsWith(`${day(-13)}T09:00`))).toHaveLength(1);
    expect(mine.filter((l) => l.teacherLocalStart.startsWith(`${day(-13)}T13:00`))).toHaveLength(1);
    // The key with another input is a client bug.
    expect(
      code(
        await student.gql.request(SERIES, { ...seriesInput(at(-13, 20), { occurrences: 3 }), key: 'series-retry-1' }),
      ),
    ).toBe('CONFLICT');
  });

  it('a 26-week series spans two transactions; racing retries with one key still get one series', async () => {
    const weekly = await createTeacher(t, { policies: { bufferMinutes: 15 } }); // 26 × (lesson + pending + 5 locks) = 182 items
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    const input = seriesInput(start.toISOString(), { occurrences: 26 }, weekly.id);
    const racing = await Promise.all(
      Array.from({ length: 3 }, () => student.gql.request(SERIES, { ...input, key: 'series-26' })),
    );
    expect(racing.map((r) => r.errors ?? null)).toEqual([null, null, null]);
    const ids = racing.map((r) => (r.data!.requestLessonSeries as Lesson[]).map((l) => l.id).join(','));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0].split(',')).toHaveLength(26);
    const teaching = await myLessons(weekly, 'AS_TEACHER');
    expect(teaching.filter((l) => l.status === 'PENDING')).toHaveLength(26);
  });
});
