import {
  createAccount,
  createTeacher,
  hoursFromNow,
  LESSON_FIELDS,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';

const FIELDS = `${LESSON_FIELDS} lateChange { by at previousStart feePercent }`;
const REQUEST = `mutation($input: RequestLessonInput!) { requestLesson(input: $input) { ${FIELDS} } }`;
const CONFIRM = `mutation($id: ID!) { confirmLesson(id: $id) { ${FIELDS} } }`;
const DECLINE = `mutation($id: ID!) { declineLesson(id: $id) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelLesson(id: $id, reason: $reason) { ${FIELDS} } }`;
const COMPLETE = `mutation($id: ID!) { completeLesson(id: $id) { ${FIELDS} } }`;
const RESCHEDULE = `mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { ${FIELDS} } }`;
const LESSON = `query($id: ID!) { lesson(id: $id) { ${FIELDS} } }`;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The late-fee rules (README, "Booking lessons"): the fee protects a CONFIRMED lesson inside the
 * teacher's notice; a student's move inside the notice carries the obligation along; withdrawing a
 * request the teacher never accepted is free. Teacher: 72 h notice, 50 % fee (the numbers).
 */
describe('late fees', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;
  let nextHour = 100;
  /** A start on the hour, far enough apart from the others that no two requests compete. */
  const freshStart = () => hoursFromNow((nextHour += 3));

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    teacher = await createTeacher(t, {
      policies: { cancellationNoticeHours: 72, lateCancellationFeePercent: 50, minNoticeHours: 0 },
    });
    student = await createAccount(t, 'STUDENT');
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => t?.close());

  const request = async (start: Date) =>
    (
      await student.gql.ok(REQUEST, {
        input: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 60, format: 'ONLINE' },
      })
    ).requestLesson;
  const confirmed = async (start: Date) => {
    const lesson = await request(start);
    return (await teacher.gql.ok(CONFIRM, { id: lesson.id })).confirmLesson;
  };
  /** Moves the server's clock so that `start` is `hours` away. */
  const travelTo = (start: Date | string, hours: number) =>
    t.clock.advance(new Date(start).getTime() - hours * HOUR - t.clock.now().getTime());
  const move = async (who: TestAccount, id: string, start: Date) =>
    (await who.gql.ok(RESCHEDULE, { input: { lessonId: id, start: start.toISOString() } })).rescheduleLesson;
  const cancel = async (who: TestAccount, id: string) =>
    (await who.gql.ok(CANCEL, { id, reason: 'cannot make it' })).cancelLesson;

  it("closes the issue's dodge: a confirmed lesson 41.8 h away moved 20 days later and then cancelled is charged", async () => {
    const start = freshStart();
    const lesson = await confirmed(start);
    expect(lesson.lateChange).toBeNull();
    travelTo(start, 41.8);
    const movedAt = t.clock.now();
    const later = new Date(start.getTime() + 20 * DAY);
    const moved = await move(student, lesson.id, later);
    expect(moved).toMatchObject({ status: 'PENDING', start: later.toISOString() });
    expect(moved.lateChange).toEqual({
      by: student.id,
      at: expect.any(String),
      previousStart: start.toISOString(),
      feePercent: 50,
    });
    expect(Math.abs(new Date(moved.lateChange.at).getTime() - movedAt.getTime())).toBeLessThan(60_000);

    const cancelled = await cancel(student, lesson.id);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.cancellation).toEqual({ by: student.id, reason: 'cannot make it', late: true, feePercent: 50 });
  });

  it('the obligation survives the teacher accepting the new time, further moves by either side, and the clock', async () => {
    const start = freshStart();
    const lesson = await confirmed(start);
    travelTo(start, 10);
    const first = await move(student, lesson.id, new Date(start.getTime() + 30 * DAY));
    expect(first.lateChange.previousStart).toBe(start.toISOString());
    // The teacher accepts the new time, the student moves it again (back to PENDING), the teacher
    // accepts that too and then moves it: the obligation stays as it was first recorded.
    expect((await teacher.gql.ok(CONFIRM, { id: lesson.id })).confirmLesson.lateChange).toEqual(first.lateChange);
    expect((await move(student, lesson.id, new Date(start.getTime() + 40 * DAY))).lateChange).toEqual(first.lateChange);
    await teacher.gql.ok(CONFIRM, { id: lesson.id });
    const byTeacher = await move(teacher, lesson.id, new Date(start.getTime() + 41 * DAY));
    expect(byTeacher).toMatchObject({ status: 'CONFIRMED', lateChange: first.lateChange });
    // Days later, long before the new time (far outside any notice): still charged.
    t.clock.advance(5 * DAY);
    expect((await cancel(student, lesson.id)).cancellation).toMatchObject({ late: true, feePercent: 50 });
  });

  it('the fee terms carried are those agreed with the lesson, not the teacher’s current policy', async () => {
    const start = freshStart();
    const lesson = await confirmed(start);
    await teacher.gql.ok(
      `mutation($input: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $input) { id } }`,
      { input: { policies: { lateCancellationFeePercent: 10, cancellationNoticeHours: 1 } } },
    );
    try {
      travelTo(start, 48);
      const moved = await move(student, lesson.id, new Date(start.getTime() + 10 * DAY));
      expect(moved.lateChange.feePercent).toBe(50);
      expect((await cancel(student, lesson.id)).cancellation).toMatchObject({ late: true, feePercent: 50 });
    } finally {
      await teacher.gql.ok(
        `mutation($input: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $input) { id } }`,
        { input: { policies: { lateCancellationFeePercent: 50, cancellationNoticeHours: 72 } } },
      );
    }
  });

  it('a lesson that takes place after a late move ends without any fee; the late change stays on record', async () => {
    const start = freshStart();
    const lesson = await confirmed(start);
    travelTo(start, 20);
    const newStart = new Date(start.getTime() + 2 * DAY);
    await move(student, lesson.id, newStart);
    await teacher.gql.ok(CONFIRM, { id: lesson.id });
    travelTo(newStart, -2);
    const done = (await teacher.gql.ok(COMPLETE, { id: lesson.id })).completeLesson;
    expect(done).toMatchObject({ status: 'COMPLETED', cancellation: null });
    expect(done.lateChange).toMatchObject({ previousStart: start.toISOString(), feePercent: 50 });
  });

  it('moves that are not late create no obligation: outside the notice, by the teacher, or of an unconfirmed request', async () => {
    // The student moves a confirmed lesson with notice to spare: free to withdraw the new request.
    const early = freshStart();
    const a = await confirmed(early);
    travelTo(early, 80);
    const movedEarly = await move(student, a.id, new Date(early.getTime() + 3 * HOUR));
    expect(movedEarly).toMatchObject({ status: 'PENDING', lateChange: null });
    expect((await cancel(student, a.id)).cancellation).toMatchObject({ late: false, feePercent: 0 });
    t.clock.reset();

    // The teacher moves a confirmed lesson inside the notice: the student owes nothing for it.
    const b0 = freshStart();
    const b = await confirmed(b0);
    travelTo(b0, 30);
    const movedByTeacher = await move(teacher, b.id, new Date(b0.getTime() + 7 * DAY));
    expect(movedByTeacher).toMatchObject({ status: 'CONFIRMED', lateChange: null });
    expect((await cancel(student, b.id)).cancellation).toMatchObject({ late: false, feePercent: 0 });
    t.clock.reset();

    // The student moves a request the teacher has not accepted, inside the notice: still free.
    // (Requests expire after 24 hours: this one starts sooner.)
    const c0 = hoursFromNow(22);
    const c = await request(c0);
    travelTo(c0, 10);
    const movedRequest = await move(student, c.id, new Date(c0.getTime() + 2 * HOUR));
    expect(movedRequest).toMatchObject({ status: 'PENDING', lateChange: null });
    expect((await cancel(student, c.id)).cancellation).toMatchObject({ late: false, feePercent: 0 });
  });

  it('withdrawing a PENDING request inside the notice is free (issue item 10); a confirmed one there is charged', async () => {
    const start = hoursFromNow(18); // requests expire after 24 hours: this one starts sooner
    const pending = await request(start);
    travelTo(start, 5);
    expect((await cancel(student, pending.id)).cancellation).toEqual({
      by: student.id,
      reason: 'cannot make it',
      late: false,
      feePercent: 0,
    });
    t.clock.reset();

    const other = freshStart();
    const lesson = await confirmed(other);
    travelTo(other, 5);
    expect((await cancel(student, lesson.id)).cancellation).toMatchObject({ late: true, feePercent: 50 });
  });

  it('a teacher cancelling never charges the student, even a lesson carrying a late change', async () => {
    const start = freshStart();
    const lesson = await confirmed(start);
    travelTo(start, 30);
    await move(student, lesson.id, new Date(start.getTime() + 9 * DAY));
    expect((await cancel(teacher, lesson.id)).cancellation).toMatchObject({
      by: teacher.id,
      late: false,
      feePercent: 0,
    });
    // A teacher's decline of the moved request releases the student too (no cancellation, no fee).
    const other = freshStart();
    const second = await confirmed(other);
    travelTo(other, 30);
    await move(student, second.id, new Date(other.getTime() + 9 * DAY));
    const declined = (await teacher.gql.ok(DECLINE, { id: second.id })).declineLesson;
    expect(declined).toMatchObject({ status: 'DECLINED', cancellation: null });
  });

  it('no interleaving of a late move and a cancellation by the student loses the fee', async () => {
    // The cancellation leaves later in each round, so both orders (and a lost race) occur.
    const staggerMs = [0, 20, 40, 80, 160, 320];
    for (const [round, stagger] of staggerMs.entries()) {
      t.clock.reset();
      const start = freshStart();
      const lesson = await confirmed(start);
      travelTo(start, 40);
      const target = new Date(start.getTime() + (20 + round) * DAY);
      const [moved, cancelled] = await Promise.all([
        student.gql.request(RESCHEDULE, { input: { lessonId: lesson.id, start: target.toISOString() } }),
        new Promise((r) => setTimeout(r, stagger)).then(() =>
          student.gql.request(CANCEL, { id: lesson.id, reason: 'race' }),
        ),
      ]);
      for (const res of [moved, cancelled]) if (res.errors) expect(code(res)).toBe('CONFLICT');
      let current = (await student.gql.ok(LESSON, { id: lesson.id })).lesson;
      if (current.status !== 'CANCELLED') current = await cancel(student, lesson.id);
      expect({ round, status: current.status, cancellation: current.cancellation }).toEqual({
        round,
        status: 'CANCELLED',
        cancellation: expect.objectContaining({ late: true, feePercent: 50 }),
      });
    }
  });
});
