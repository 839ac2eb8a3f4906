import {
  createAccount,
  createTeacher,
  mailsTo,
  REQUEST_LESSON,
  startAnotherInstance,
  startTestApp,
  TestAccount,
  TestApp,
  waitForMails,
  withTemplate,
} from '@app/testing';
import { OutboxRelay } from '../src/events/outbox-relay.service';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { REMINDER_JOB } from '../src/notifications/consumers/lesson-reminders';

const CONFIRM = 'mutation($id: ID!) { confirmLesson(id: $id) { id status } }';
const CANCEL = 'mutation($id: ID!) { cancelLesson(id: $id, reason: "no") { id } }';
const RESCHEDULE = 'mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { id start } }';

/**
 * Reminders 24 h and 1 h before a confirmed lesson, with the test clock: across the EU change to
 * summer time (2027-03-28), from stored jobs that outlive the instance that scheduled them, run
 * by two instances at once (JOBS_ENABLED=false: the test drives the polls).
 */
describe('lesson reminders', () => {
  let a: TestApp;
  let b: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  const config = { JOBS_ENABLED: 'false', AUTH_RATE_LIMIT_PER_IP: '1000' };
  const instances = () => [a, b];
  const advanceTo = (instant: number) => {
    for (const t of instances()) t.clock.advance(instant - t.clock.now().getTime());
  };
  /** Both instances poll at once, twice, then everything they set off settles. */
  const pollBoth = async () => {
    for (let round = 0; round < 2; round++) {
      await Promise.all(
        instances().flatMap((t) => [t.app.get(JobScheduler).runDueDelayed(), t.app.get(OutboxRelay).sweep()]),
      );
      for (const t of instances()) {
        await t.app.get(OutboxRelay).idle();
        await t.app.get(JobScheduler).idle();
      }
    }
  };
  const reminders = (account: TestAccount, lessonId?: string) =>
    mailsTo(account.email).filter(
      (m) => withTemplate('lesson-reminder')(m) && (!lessonId || m.text!.includes(lessonId)),
    );

  beforeAll(async () => {
    a = await startTestApp({ config });
    b = await startAnotherInstance(a, { config });
    teacher = await createTeacher(a, { timeZone: 'America/New_York' });
    student = await createAccount(a, 'STUDENT', { timeZone: 'Europe/Berlin', locale: 'DE' });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Requested on A, confirmed on `via` (whose relay then schedules the reminders). */
  async function confirmedLesson(start: string, via: TestApp = a) {
    const lesson = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start, durationMinutes: 60, format: 'ONLINE' },
      })
    ).requestLesson;
    await via.gql.as(teacher.accessToken).ok(CONFIRM, { id: lesson.id });
    await pollBoth();
    return lesson.id as string;
  }

  it('reminds both sides 24 h and 1 h before, in their own zones and languages, across the DST change, once each', async () => {
    // Sunday 28 March 2027, 10:00 in Berlin: summer time began at 02:00 that night (08:00 UTC).
    // 24 hours earlier it was still winter time there (09:00 on Saturday), and New York had
    // changed two weeks before (04:00 EDT).
    const start = '2027-03-28T08:00:00.000Z';
    const lessonId = await confirmedLesson(start, b);
    const scheduler = a.app.get(JobScheduler);
    expect((await scheduler.find(REMINDER_JOB, `${lessonId}:24h`))?.runAt).toBe('2027-03-27T08:00:00.000Z');
    expect((await scheduler.find(REMINDER_JOB, `${lessonId}:1h`))?.runAt).toBe('2027-03-28T07:00:00.000Z');

    // The instance that scheduled them restarts: a new one takes its place; the jobs are stored.
    await b.close();
    b = await startAnotherInstance(a, { config });

    advanceTo(Date.parse('2027-03-27T07:59:00Z'));
    await pollBoth();
    expect(reminders(student, lessonId)).toHaveLength(0);

    advanceTo(Date.parse('2027-03-27T08:00:30Z'));
    await pollBoth();
    await pollBoth();
    const [toStudent] = await waitForMails(
      student.email,
      (m) => withTemplate('lesson-reminder')(m) && m.text!.includes(lessonId),
    );
    const [toTeacher] = await waitForMails(
      teacher.email,
      (m) => withTemplate('lesson-reminder')(m) && m.text!.includes(lessonId),
    );
    expect(toStudent.subject).toBe(
      `Erinnerung: Stunde mit ${toStudent.text!.match(/Mit: (.+)/)![1]} morgen, in 24 Stunden`,
    );
    expect(toStudent.text).toContain('So. 28. März, 10:00 Uhr, Ortszeit Berlin');
    expect(toTeacher.subject).toMatch(/^Reminder: lesson with STUDENT .* tomorrow, in 24 hours$/);
    expect(toTeacher.text).toContain('Sun 28 Mar, 04:00, New York time');

    advanceTo(Date.parse('2027-03-28T07:00:30Z'));
    await pollBoth();
    await waitForMails(student.email, (m) => withTemplate('lesson-reminder')(m) && m.text!.includes(lessonId), 2);
    const oneHour = (
      await waitForMails(teacher.email, (m) => withTemplate('lesson-reminder')(m) && m.text!.includes(lessonId), 2)
    )[1];
    expect(oneHour.subject).toMatch(/in one hour$/);

    // Nothing more, however often both instances poll.
    advanceTo(Date.parse('2027-03-28T09:30:00Z'));
    await pollBoth();
    expect(reminders(student, lessonId)).toHaveLength(2);
    expect(reminders(teacher, lessonId)).toHaveLength(2);
  });

  it('a cancelled lesson is not reminded; a rescheduled one is reminded at its new time only', async () => {
    for (const t of instances()) t.clock.reset();
    const cancelled = await confirmedLesson('2027-04-10T15:00:00.000Z');
    const moved = await confirmedLesson('2027-04-11T15:00:00.000Z');
    const scheduler = a.app.get(JobScheduler);
    expect(await scheduler.find(REMINDER_JOB, `${cancelled}:24h`)).not.toBeNull();

    await student.gql.ok(CANCEL, { id: cancelled });
    await teacher.gql.ok(RESCHEDULE, { input: { lessonId: moved, start: '2027-04-12T15:00:00.000Z' } });
    await pollBoth();
    expect(await scheduler.find(REMINDER_JOB, `${cancelled}:24h`)).toBeNull();
    expect(await scheduler.find(REMINDER_JOB, `${cancelled}:1h`)).toBeNull();
    expect((await scheduler.find(REMINDER_JOB, `${moved}:24h`))?.runAt).toBe('2027-04-11T15:00:00.000Z');

    // The old reminder times pass in silence; the new one speaks.
    advanceTo(Date.parse('2027-04-10T14:30:00Z'));
    await pollBoth();
    advanceTo(Date.parse('2027-04-11T15:00:30Z'));
    await pollBoth();
    expect(reminders(student, cancelled)).toHaveLength(0);
    expect(reminders(teacher, cancelled)).toHaveLength(0);
    const [reminder] = await waitForMails(
      student.email,
      (m) => withTemplate('lesson-reminder')(m) && m.text!.includes(moved),
    );
    expect(reminder.text).toContain('Mo. 12. Apr., 17:00 Uhr, Ortszeit Berlin');
    expect(reminders(student, moved)).toHaveLength(1);
  });
});
