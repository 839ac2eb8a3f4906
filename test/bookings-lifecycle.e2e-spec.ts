import { DateTime } from 'luxon';
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

const OPEN_SLOTS = `query($teacherId: ID!, $from: DateTime!, $to: DateTime!, $d: Int!) { openSlots(teacherId: $teacherId, from: $from, to: $to, durationMinutes: $d) { start end teacherLocalStart } }`;
const act = (name: string, extra = '') =>
  `mutation($id: ID!${extra ? `, ${extra}` : ''}) { ${name}(id: $id${extra ? ', reason: $reason' : ''}) { ${LESSON_FIELDS} } }`;
const CONFIRM = act('confirmLesson');
const DECLINE = act('declineLesson', '$reason: String');
const CANCEL = act('cancelLesson', '$reason: String');
const COMPLETE = act('completeLesson');
const NO_SHOW = act('markNoShow');
const RESCHEDULE = `mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { ${LESSON_FIELDS} } }`;

describe('lesson lifecycle', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    teacher = await createTeacher(t, {
      policies: { bufferMinutes: 15, cancellationNoticeHours: 24, lateCancellationFeePercent: 50 },
    });
    student = await createAccount(t, 'STUDENT');
  });
  afterAll(async () => t?.close());

  const request = async (start: Date, durationMinutes = 60, who = student) =>
    (
      await who.gql.ok(REQUEST_LESSON, {
        input: {
          teacherId: teacher.id,
          start: start.toISOString(),
          durationMinutes,
          format: 'ONLINE',
          note: 'Chopin nocturnes',
        },
      })
    ).requestLesson;
  const slots = async (from: Date, hours: number, d = 60) =>
    (
      await t.gql.ok(OPEN_SLOTS, {
        teacherId: teacher.id,
        from: from.toISOString(),
        to: new Date(from.getTime() + hours * 3_600_000).toISOString(),
        d,
      })
    ).openSlots.map((s: { start: string }) => s.start);

  it('a request is PENDING, priced from the offering, and holds its slot plus buffer at once', async () => {
    const start = hoursFromNow(48);
    expect(await slots(start, 2)).toContain(start.toISOString());
    const lesson = await request(start);
    expect(lesson).toMatchObject({
      status: 'PENDING',
      durationMinutes: 60,
      price: { amountMinor: 4500, currency: 'EUR' },
      note: 'Chopin nocturnes',
    });
    expect(lesson.history).toEqual([
      { action: 'REQUEST', by: student.id, from: null, to: 'PENDING', reason: null, previousStart: null },
    ]);
    const open = await slots(new Date(start.getTime() - 2 * 3_600_000), 5);
    // Taken: anything overlapping 60 min + 15 min buffer after, or whose own buffer reaches the start.
    expect(open).not.toContain(start.toISOString());
    expect(open).not.toContain(new Date(start.getTime() + 60 * 60_000).toISOString());
    expect(open).toContain(new Date(start.getTime() + 75 * 60_000).toISOString());
    expect(open).not.toContain(new Date(start.getTime() - 60 * 60_000).toISOString());
    expect(open).toContain(new Date(start.getTime() - 75 * 60_000).toISOString());
  });

  it('confirm → cancel by the student early: CANCELLED, not late, slot free again, full history', async () => {
    const start = hoursFromNow(72);
    const lesson = await request(start);
    const confirmed = (await teacher.gql.ok(CONFIRM, { id: lesson.id })).confirmLesson;
    expect(confirmed.status).toBe('CONFIRMED');
    const cancelled = (await student.gql.ok(CANCEL, { id: lesson.id, reason: 'Exam week' })).cancelLesson;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.cancellation).toEqual({ by: student.id, reason: 'Exam week', late: false, feePercent: 0 });
    expect(
      cancelled.history.map((h: { action: string; from: string; to: string }) => `${h.action}:${h.from}->${h.to}`),
    ).toEqual(['REQUEST:null->PENDING', 'CONFIRM:PENDING->CONFIRMED', 'CANCEL:CONFIRMED->CANCELLED']);
    expect(await slots(start, 1)).toContain(start.toISOString());
  });

  it("a lesson gives its start in the teacher's and the student's zone; a cancellation without a reason has none", async () => {
    const start = hoursFromNow(80);
    const lesson = await request(start);
    const LOCAL = `query($id: ID!) { lesson(id: $id) { teacherTimeZone teacherLocalStart studentLocalStart } }`;
    for (const viewer of [teacher, student]) {
      expect((await viewer.gql.ok(LOCAL, { id: lesson.id })).lesson).toEqual({
        teacherTimeZone: 'UTC',
        teacherLocalStart: DateTime.fromJSDate(start, { zone: 'UTC' }).toISO(),
        studentLocalStart: DateTime.fromJSDate(start, { zone: 'Europe/Berlin' }).toISO(),
      });
    }
    const cancelled = (await student.gql.ok(CANCEL, { id: lesson.id })).cancelLesson;
    expect(cancelled.cancellation).toEqual({ by: student.id, reason: null, late: false, feePercent: 0 });
  });

  it('a student cancelling inside the notice period is LATE with the fee; the teacher cancelling late owes none', async () => {
    const a = await request(hoursFromNow(5));
    await teacher.gql.ok(CONFIRM, { id: a.id });
    expect((await student.gql.ok(CANCEL, { id: a.id, reason: 'sick' })).cancelLesson.cancellation).toMatchObject({
      late: true,
      feePercent: 50,
    });
    const b = await request(hoursFromNow(7));
    await teacher.gql.ok(CONFIRM, { id: b.id });
    expect((await teacher.gql.ok(CANCEL, { id: b.id, reason: 'concert' })).cancelLesson.cancellation).toMatchObject({
      late: true,
      feePercent: 0,
      by: teacher.id,
    });
  });

  it('decline frees the slot', async () => {
    const start = hoursFromNow(96);
    const lesson = await request(start);
    const declined = (await teacher.gql.ok(DECLINE, { id: lesson.id, reason: 'Not my repertoire' })).declineLesson;
    expect(declined.status).toBe('DECLINED');
    expect(declined.history[1]).toMatchObject({
      action: 'DECLINE',
      from: 'PENDING',
      to: 'DECLINED',
      reason: 'Not my repertoire',
    });
    expect(await slots(start, 1)).toContain(start.toISOString());
  });

  it('illegal transitions answer CONFLICT with the current status; strangers are FORBIDDEN', async () => {
    const lesson = await request(hoursFromNow(120));
    const confirmByStudent = await student.gql.request(CONFIRM, { id: lesson.id });
    expect(code(confirmByStudent)).toBe('FORBIDDEN');
    expect(confirmByStudent.errors![0].message).toBe('Only the teacher may confirm a lesson');
    await teacher.gql.ok(DECLINE, { id: lesson.id });
    for (const [who, op] of [
      [teacher, CONFIRM],
      [student, CANCEL],
      [teacher, DECLINE],
    ] as const) {
      const res = await who.gql.request(op, { id: lesson.id });
      expect(code(res)).toBe('CONFLICT');
      expect(res.errors![0].extensions!.currentStatus).toBe('DECLINED');
    }
    const stranger = await createAccount(t, 'STUDENT');
    expect(code(await stranger.gql.request(CANCEL, { id: lesson.id }))).toBe('FORBIDDEN');
    expect(code(await stranger.gql.request(`query($id: ID!) { lesson(id: $id) { id } }`, { id: lesson.id }))).toBe(
      'FORBIDDEN',
    );
  });

  it('complete and no-show only after the end, and they free the locks', async () => {
    const a = await request(hoursFromNow(3));
    await teacher.gql.ok(CONFIRM, { id: a.id });
    const early = await teacher.gql.request(COMPLETE, { id: a.id });
    expect(code(early)).toBe('CONFLICT');
    expect(early.errors![0].message).toMatch(/before it has ended/);
    const b = await request(hoursFromNow(6));
    await teacher.gql.ok(CONFIRM, { id: b.id });
    t.clock.advance(8 * 3_600_000);
    expect((await teacher.gql.ok(COMPLETE, { id: a.id })).completeLesson.status).toBe('COMPLETED');
    expect((await teacher.gql.ok(NO_SHOW, { id: b.id })).markNoShow.status).toBe('NO_SHOW');
    expect(code(await student.gql.request(COMPLETE, { id: a.id }))).toBe('FORBIDDEN');
  });

  it('reschedule moves the lesson atomically: the new slot is taken, the old one freed', async () => {
    const from = hoursFromNow(200);
    const to = new Date(from.getTime() + 30 * 60_000); // overlaps the old interval: kept granules stay
    const lesson = await request(from);
    await teacher.gql.ok(CONFIRM, { id: lesson.id });
    const moved = (await student.gql.ok(RESCHEDULE, { input: { lessonId: lesson.id, start: to.toISOString() } }))
      .rescheduleLesson;
    expect(moved.start).toBe(to.toISOString());
    // The student moved a confirmed lesson: it needs the teacher's confirmation again.
    expect(moved.status).toBe('PENDING');
    expect(moved.history[2]).toMatchObject({
      action: 'RESCHEDULE',
      from: 'CONFIRMED',
      to: 'PENDING',
      previousStart: from.toISOString(),
    });
    const open = await slots(new Date(from.getTime() - 2 * 3_600_000), 6);
    expect(open).not.toContain(to.toISOString());
    expect(open).toContain(new Date(from.getTime() - 75 * 60_000).toISOString());

    // Moving onto a taken slot changes nothing.
    const other = await request(hoursFromNow(210));
    const clash = await student.gql.request(RESCHEDULE, { input: { lessonId: lesson.id, start: other.start } });
    expect(code(clash)).toBe('SLOT_UNAVAILABLE');
    const still = (await student.gql.ok(`query($id: ID!) { lesson(id: $id) { start status } }`, { id: lesson.id }))
      .lesson;
    expect(still).toEqual({ start: to.toISOString(), status: 'PENDING' });
    expect(await slots(to, 1)).not.toContain(to.toISOString());
  });

  it('rejects bad requests with precise messages', async () => {
    const cases: Array<[string, Record<string, unknown>, string, string | RegExp]> = [
      [
        'a start in the past',
        // On the grid: an off-grid start is malformed input (BAD_USER_INPUT) whenever it is.
        { start: new Date(Math.floor((Date.now() - 3_600_000) / 900_000) * 900_000).toISOString() },
        'SLOT_UNAVAILABLE',
        /in the past/,
      ],
      [
        'a duration the teacher does not offer',
        { durationMinutes: 45 },
        'BAD_USER_INPUT',
        'this teacher offers 30, 60, 90 minute lessons, not 45',
      ],
      [
        'a start off the grid',
        { start: new Date(hoursFromNow(30).getTime() + 7 * 60_000).toISOString() },
        'BAD_USER_INPUT',
        /15-minute grid/,
      ],
      [
        'a start beyond the advance window',
        { start: hoursFromNow(24 * 400).toISOString() },
        'SLOT_UNAVAILABLE',
        /at most 365 days ahead/,
      ],
      ['a format the teacher does not offer', { format: 'STUDENT_HOME' }, 'BAD_USER_INPUT', /teaches ONLINE/],
      ['an unknown teacher', { teacherId: '01J0000000000000000000000X' }, 'NOT_FOUND', /Teacher/],
      ['a start that is not a DateTime', { start: '2026-13-45' }, 'BAD_USER_INPUT', /DateTime/],
    ];
    for (const [label, override, expected, message] of cases) {
      const res = await student.gql.request(REQUEST_LESSON, {
        input: {
          teacherId: teacher.id,
          start: hoursFromNow(30).toISOString(),
          durationMinutes: 60,
          format: 'ONLINE',
          ...override,
        },
      });
      expect({ label, code: code(res) }).toEqual({ label, code: expected });
      expect(res.errors![0].message).toMatch(message);
    }
    const self = await teacher.gql.request(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: hoursFromNow(30).toISOString(), durationMinutes: 60, format: 'ONLINE' },
    });
    expect(code(self)).toBe('BAD_USER_INPUT');
    expect(self.errors![0].extensions!.fields[0]).toEqual({
      field: 'input.teacherId',
      message: 'you cannot book a lesson with yourself',
    });
    const badZone = await t.gql.request(
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { openSlots(teacherId: $id, from: $from, to: $to, durationMinutes: 60, timeZone: "Mars/Base") { start } }`,
      {
        id: teacher.id,
        from: hoursFromNow(1).toISOString(),
        to: hoursFromNow(5).toISOString(),
      },
    );
    expect(code(badZone)).toBe('BAD_USER_INPUT');
    expect(badZone.errors![0].extensions!.fields[0].field).toBe('timeZone');
  });

  it('answers BAD_USER_INPUT, not an internal error, for an over-long idempotency key and contradictory overrides', async () => {
    const tooLong = await student.gql.request(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: hoursFromNow(300).toISOString(), durationMinutes: 60, format: 'ONLINE' },
      key: 'k'.repeat(2100),
    });
    expect(code(tooLong)).toBe('BAD_USER_INPUT');
    expect(tooLong.errors![0].extensions!.fields[0].field).toBe('idempotencyKey');

    const OVERRIDES = `mutation($input: SetAvailabilityOverridesInput!) { setAvailabilityOverrides(input: $input) }`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        {
          overrides: [
            { date: '2031-01-07', windows: [] },
            { date: '2031-01-07', windows: [{ start: '10:00', end: '12:00' }] },
          ],
        },
        'input.overrides.1.date',
      ],
      [{ overrides: [{ date: '2031-01-08', windows: [] }], clear: ['2031-01-08'] }, 'input.clear.0'],
      [{ clear: ['2031-01-09', '2031-01-09'] }, 'input.clear.1'],
      [{ clear: ['not-a-date'] }, 'input.clear.0'],
    ];
    for (const [input, field] of cases) {
      const res = await teacher.gql.request(OVERRIDES, { input });
      expect({ input, code: code(res) }).toEqual({ input, code: 'BAD_USER_INPUT' });
      expect(res.errors![0].extensions!.fields[0].field).toBe(field);
    }
  });

  it('an overdue request cannot be confirmed or moved before the sweeper reaches it', async () => {
    const lesson = await request(hoursFromNow(400));
    t.clock.advance(25 * 3_600_000); // past the default 24-hour pending lifetime
    try {
      const late = await teacher.gql.request(CONFIRM, { id: lesson.id });
      expect(code(late)).toBe('CONFLICT');
      expect(late.errors![0].extensions!.currentStatus).toBe('EXPIRED');
      const now = (await student.gql.ok(`query($id: ID!) { lesson(id: $id) { status } }`, { id: lesson.id })).lesson;
      expect(now.status).toBe('EXPIRED');
    } finally {
      t.clock.reset();
    }
  });

  it('bounds ids, reasons and weekly windows', async () => {
    const longId = await student.gql.request(`query($id: ID!) { lesson(id: $id) { id } }`, { id: 'x'.repeat(3000) });
    expect(code(longId)).toBe('BAD_USER_INPUT');
    expect(longId.errors![0].extensions!.fields).toEqual([{ field: 'id', message: 'id is not a valid id' }]);
    const lesson = await request(hoursFromNow(410));
    const longReason = await student.gql.request(CANCEL, { id: lesson.id, reason: 'r'.repeat(501) });
    expect(code(longReason)).toBe('BAD_USER_INPUT');
    const windows = Array.from({ length: 169 }, () => ({ weekday: 'MONDAY', start: '10:00', end: '11:00' }));
    const tooMany = await teacher.gql.request(
      `mutation($w: [AvailabilityWindowInput!]!) { setWeeklyAvailability(windows: $w) { weekday } }`,
      { w: windows },
    );
    expect(code(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].extensions!.fields[0].field).toBe('windows');
  });
});
