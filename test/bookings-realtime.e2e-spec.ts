import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  subscribe,
  Subscription,
  TestAccount,
  TestApp,
} from '@app/testing';

const LESSON_UPDATED = 'subscription { lessonUpdated { id status start teacher { id } student { id } } }';
const RESCHEDULE = `mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { id } }`;
const act = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { id } }`;

type Event = {
  lessonUpdated: { id: string; status: string; start: string; teacher: { id: string }; student: { id: string } };
};

describe('lessonUpdated subscription', () => {
  let a: TestApp;
  let b: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  let stranger: TestAccount;
  const open: Array<Subscription<unknown>> = [];

  beforeAll(async () => {
    // Two instances sharing the stores and Redis: a participant may be connected to either.
    a = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    b = await startTestApp({
      config: {
        DYNAMODB_TABLE: a.names.table,
        S3_BUCKET: a.names.bucket,
        MONGODB_URI: process.env.MONGODB_URI!.replace(/\/[^/?]*(\?|$)/, `/${a.names.database}$1`),
        BOOTSTRAP_RESOURCES: 'false',
      },
    });
    teacher = await createTeacher(a, { policies: { bufferMinutes: 15 } });
    student = await createAccount(a, 'STUDENT');
    stranger = await createAccount(a, 'STUDENT');
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    await b?.app.close();
    await a?.close();
  });

  const sub = async (app: TestApp, who?: TestAccount) => {
    const s = await subscribe<Event>(app.baseUrl, LESSON_UPDATED, who?.accessToken);
    open.push(s);
    return s;
  };

  it('refuses an anonymous subscriber with UNAUTHENTICATED', async () => {
    const anonymous = await sub(a);
    const errors = await anonymous.failed;
    expect(errors[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.events).toEqual([]);
  });

  it('delivers every transition, in order, to the teacher and the student, and nothing to anyone else', async () => {
    const teacherSub = await sub(a, teacher);
    const studentSub = await sub(b, student); // the other instance: events cross through Redis
    const strangerSub = await sub(a, stranger);

    const start = hoursFromNow(72);
    const moved = new Date(start.getTime() + 2 * 3_600_000);
    const movedAgain = new Date(start.getTime() + 4 * 3_600_000);
    const lesson = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 60, format: 'ONLINE' },
      })
    ).requestLesson;
    await teacher.gql.ok(act('confirmLesson'), { id: lesson.id });
    await teacher.gql.ok(RESCHEDULE, { input: { lessonId: lesson.id, start: moved.toISOString() } }); // stays CONFIRMED
    await b.gql
      .as(student.accessToken)
      .ok(RESCHEDULE, { input: { lessonId: lesson.id, start: movedAgain.toISOString() } }); // back to PENDING
    await teacher.gql.ok(act('confirmLesson'), { id: lesson.id });
    await student.gql.ok(act('cancelLesson'), { id: lesson.id });
    // A second lesson, declined: its events follow the first lesson's.
    const other = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start: hoursFromNow(96).toISOString(), durationMinutes: 30, format: 'ONLINE' },
      })
    ).requestLesson;
    await teacher.gql.ok(act('declineLesson'), { id: other.id });

    const expected = [
      { id: lesson.id, status: 'PENDING', start: start.toISOString() },
      { id: lesson.id, status: 'CONFIRMED', start: start.toISOString() },
      { id: lesson.id, status: 'CONFIRMED', start: moved.toISOString() },
      { id: lesson.id, status: 'PENDING', start: movedAgain.toISOString() },
      { id: lesson.id, status: 'CONFIRMED', start: movedAgain.toISOString() },
      { id: lesson.id, status: 'CANCELLED', start: movedAgain.toISOString() },
      { id: other.id, status: 'PENDING', start: other.start },
      { id: other.id, status: 'DECLINED', start: other.start },
    ].map((e) => ({ lessonUpdated: { ...e, teacher: { id: teacher.id }, student: { id: student.id } } }));

    for (const s of [teacherSub, studentSub]) {
      expect(await s.waitFor(expected.length, 10_000)).toEqual(expected);
      expect(s.errors).toEqual([]);
    }
    // Nothing more arrives, and the stranger heard nothing at all.
    await new Promise((r) => setTimeout(r, 500));
    expect(teacherSub.events).toHaveLength(expected.length);
    expect(studentSub.events).toHaveLength(expected.length);
    expect(strangerSub.events).toEqual([]);
    expect(strangerSub.errors).toEqual([]);
  });

  it('a failed transition publishes nothing', async () => {
    const studentSub = await sub(a, student);
    const lesson = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start: hoursFromNow(120).toISOString(), durationMinutes: 60, format: 'ONLINE' },
      })
    ).requestLesson;
    await studentSub.waitFor(1);
    const codeOf = async (who: TestAccount, op: string) =>
      (await who.gql.request(act(op), { id: lesson.id })).errors?.[0]?.extensions?.code;
    // Refused moves: the student may not confirm, a stranger may not cancel, a cancelled lesson stays cancelled.
    expect(await codeOf(student, 'confirmLesson')).toBe('FORBIDDEN');
    expect(await codeOf(stranger, 'cancelLesson')).toBe('FORBIDDEN');
    await student.gql.ok(act('cancelLesson'), { id: lesson.id });
    expect(await codeOf(teacher, 'cancelLesson')).toBe('CONFLICT');
    expect(await codeOf(teacher, 'confirmLesson')).toBe('CONFLICT');
    await studentSub.waitFor(2);
    await new Promise((r) => setTimeout(r, 400));
    expect(studentSub.events.map((e) => e.lessonUpdated.status)).toEqual(['PENDING', 'CANCELLED']);
  });
});
