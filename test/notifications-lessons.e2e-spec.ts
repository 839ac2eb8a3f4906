import {
  createAccount,
  createTeacher,
  hoursFromNow,
  invitationOf,
  mailsTo,
  REQUEST_LESSON,
  startTestApp,
  subscribe,
  TestAccount,
  TestApp,
  waitForMails,
  withTemplate,
} from '@app/testing';
import { LessonExpiryJob } from '../src/bookings/lesson-expiry.job';
import { OutboxRelay } from '../src/events/outbox-relay.service';
import { JobScheduler } from '../src/jobs/job-scheduler.service';

const CONFIRM = 'mutation($id: ID!) { confirmLesson(id: $id) { id status } }';
const CANCEL =
  'mutation($id: ID!, $r: String!) { cancelLesson(id: $id, reason: $r) { id status cancellation { late feePercent } } }';
const RESCHEDULE = 'mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { id start status } }';
const DECLINE = 'mutation($id: ID!) { declineLesson(id: $id) { id status } }';
const COMPLETE = 'mutation($id: ID!) { completeLesson(id: $id) { id status } }';
const INBOX = `query($unread: Boolean) { me { unreadNotificationCount notifications(first: 20, unreadOnly: $unread) {
  edges { node { id kind category title body lessonId link readAt } } pageInfo { hasNextPage } } } }`;
const PREFERENCES = 'query { notificationPreferences { category email canDisable } }';
const SET_PREFERENCES =
  'mutation($input: [NotificationPreferenceInput!]!) { updateNotificationPreferences(input: $input) { category email canDisable } }';

/** Lesson mails through the real SMTP catcher, with their invitations parsed by ical.js. */
describe('lesson e-mails and in-app notifications', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;

  /** Everything the last mutations set off (outbox deliveries, then the mail jobs they queued) has finished. */
  const settle = async () => {
    await t.app.get(OutboxRelay).idle();
    await t.app.get(JobScheduler).idle();
  };

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', PUBLIC_WEB_URL: 'https://app.example.test' } });
    teacher = await createTeacher(t, { timeZone: 'America/New_York' });
    student = await createAccount(t, 'STUDENT', { timeZone: 'Europe/Berlin', locale: 'DE' });
  });
  afterAll(async () => t?.close());

  it('requested, confirmed, rescheduled, cancelled: the right mails to the right people, one calendar event', async () => {
    const live = await subscribe(
      t.baseUrl,
      'subscription { notificationAdded { kind title lessonId } }',
      student.accessToken,
    );
    // Starts in 20 hours: inside the teacher's 24-hour notice, so the student's cancellation is late.
    const start = hoursFromNow(20);
    const lesson = (
      await student.gql.ok(REQUEST_LESSON, {
        input: {
          teacherId: teacher.id,
          start: start.toISOString(),
          durationMinutes: 60,
          format: 'ONLINE',
          note: 'Chopin please',
        },
      })
    ).requestLesson;
    const uid = `lesson-${lesson.id}@takesessions`;

    const [requested] = await waitForMails(teacher.email, withTemplate('lesson-requested'));
    expect(requested.subject).toMatch(
      /^STUDENT .* asks for a lesson on \w{3} \d{1,2} \w{3}, \d\d:\d\d, New York time$/,
    );
    expect(requested.text).toContain('Chopin please');
    expect(requested.text).toContain('https://app.example.test/lessons/' + lesson.id);
    expect(requested.headers['list-unsubscribe']).toMatch(/^<http:\/\/.*\/notifications\/unsubscribe\?token=.+>$/);
    expect(requested.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const invite1 = invitationOf(requested)!;
    expect(invite1).toMatchObject({
      method: 'REQUEST',
      uid,
      sequence: 1,
      status: 'TENTATIVE',
      timeZone: 'America/New_York',
    });
    expect(invite1.start).toBe(start.toISOString());

    await teacher.gql.ok(CONFIRM, { id: lesson.id });
    const [confirmed] = await waitForMails(student.email, withTemplate('lesson-confirmed'));
    expect(confirmed.subject).toMatch(
      /^Bestätigt: Ihre Stunde mit TEACHER .* am \w\w\. \d{1,2}\. \w+\.?, \d\d:\d\d Uhr, Ortszeit Berlin$/,
    );
    const invite2 = invitationOf(confirmed)!;
    expect(invite2).toMatchObject({
      method: 'REQUEST',
      uid,
      sequence: 2,
      status: 'CONFIRMED',
      timeZone: 'Europe/Berlin',
    });
    expect(invite2.start).toBe(start.toISOString());

    const moved = new Date(start.getTime() + 3_600_000);
    await teacher.gql.ok(RESCHEDULE, { input: { lessonId: lesson.id, start: moved.toISOString() } });
    const [rescheduled] = await waitForMails(student.email, withTemplate('lesson-rescheduled'));
    const invite3 = invitationOf(rescheduled)!;
    expect(invite3).toMatchObject({ method: 'REQUEST', uid, sequence: 3, timeZone: 'Europe/Berlin' });
    expect(invite3.start).toBe(moved.toISOString());
    expect(rescheduled.text).toMatch(/Vorher: /);

    const cancelled = await student.gql.ok(CANCEL, { id: lesson.id, r: 'ill' });
    expect(cancelled.cancelLesson.cancellation).toEqual({ late: true, feePercent: 50 });
    const [toTeacher] = await waitForMails(teacher.email, withTemplate('lesson-cancelled'));
    const [toStudent] = await waitForMails(student.email, withTemplate('lesson-cancelled'));
    expect(toTeacher.text).toContain('cancelled your lesson');
    expect(toTeacher.text).toContain('late fee of 50% (€22.50) applies');
    expect(toStudent.text).toContain('Sie haben Ihre Stunde');
    expect(toStudent.text).toContain('Ausfallgebühr von 50 % (22,50');
    for (const mail of [toTeacher, toStudent]) {
      expect(invitationOf(mail)).toMatchObject({ method: 'CANCEL', uid, sequence: 4, status: 'CANCELLED' });
    }

    // The right people only: the teacher heard of the request and the cancellation, the student of the rest.
    await settle();
    const templates = (address: string) => mailsTo(address).map((m) => m.headers['x-take-sessions-template']);
    expect(templates(teacher.email).filter((x) => x.startsWith('lesson-'))).toEqual([
      'lesson-requested',
      'lesson-cancelled',
    ]);
    expect(templates(student.email).filter((x) => x.startsWith('lesson-'))).toEqual([
      'lesson-confirmed',
      'lesson-rescheduled',
      'lesson-cancelled',
    ]);

    // In the app too, live and in the list, in the student's language.
    const pushed = await live.waitFor(3, 10_000);
    expect(pushed.map((e) => e.notificationAdded.kind)).toEqual([
      'lesson-confirmed',
      'lesson-rescheduled',
      'lesson-cancelled',
    ]);
    await live.close();
    const inbox = (await student.gql.ok(INBOX)).me;
    expect(inbox.unreadNotificationCount).toBe(3);
    expect(inbox.notifications.edges.map((e: any) => e.node.kind)).toEqual([
      'lesson-cancelled',
      'lesson-rescheduled',
      'lesson-confirmed',
    ]);
    expect(inbox.notifications.edges[2].node).toMatchObject({
      category: 'LESSON_UPDATES',
      lessonId: lesson.id,
      readAt: null,
    });
    expect(inbox.notifications.edges[2].node.title).toMatch(/^Bestätigt/);
    const first = inbox.notifications.edges[2].node.id;
    expect(
      await student.gql.ok('mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }', { ids: [first] }),
    ).toEqual({
      markNotificationsRead: 2,
    });
    // Someone else's ids change nothing of theirs.
    await teacher.gql.ok('mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }', {
      ids: [inbox.notifications.edges[0].node.id],
    });
    expect((await student.gql.ok(INBOX, { unread: true })).me.notifications.edges).toHaveLength(2);
    expect(await student.gql.ok('mutation { markNotificationsRead }')).toEqual({ markNotificationsRead: 0 });
    // Nobody else's list is visible.
    const other = await t.gql
      .as(teacher.accessToken)
      .ok(`query($id: ID!) { user(id: $id) { notifications { edges { cursor } } unreadNotificationCount } }`, {
        id: student.id,
      });
    expect(other.user).toEqual({ notifications: null, unreadNotificationCount: null });
  });

  it('declined and expired requests: the student (and, on expiry, the teacher) is told, and the invitation is withdrawn', async () => {
    const request = async (hours: number) =>
      (
        await student.gql.ok(REQUEST_LESSON, {
          input: {
            teacherId: teacher.id,
            start: hoursFromNow(hours).toISOString(),
            durationMinutes: 30,
            format: 'ONLINE',
          },
        })
      ).requestLesson;
    const declined = await request(70);
    await teacher.gql.ok(DECLINE, { id: declined.id });
    const [declinedMail] = await waitForMails(student.email, withTemplate('lesson-declined'));
    expect(declinedMail.subject).toMatch(/abgelehnt/); // the student reads German
    expect(invitationOf(declinedMail)).toMatchObject({
      method: 'CANCEL',
      uid: `lesson-${declined.id}@takesessions`,
      sequence: 2,
      status: 'CANCELLED',
      timeZone: 'Europe/Berlin',
    });

    const unanswered = await request(90);
    await settle();
    // Past its answer-by time (LESSON_PENDING_TTL_MINUTES), the expiry job ends it.
    t.clock.advance(new Date(unanswered.pendingExpiresAt).getTime() - Date.now() + 60_000);
    try {
      expect(await t.app.get(LessonExpiryJob).sweep()).toBeGreaterThanOrEqual(1);
      const [toStudent] = await waitForMails(student.email, withTemplate('lesson-expired'));
      const [toTeacher] = await waitForMails(teacher.email, withTemplate('lesson-expired'));
      expect(toTeacher.text).toContain('request in time, so it expired');
      for (const [mail, zone] of [
        [toStudent, 'Europe/Berlin'],
        [toTeacher, 'America/New_York'],
      ] as const) {
        expect(invitationOf(mail)).toMatchObject({
          method: 'CANCEL',
          uid: `lesson-${unanswered.id}@takesessions`,
          sequence: 2,
          timeZone: zone,
        });
      }
    } finally {
      t.clock.reset();
    }
  });

  it('a completed lesson invites a review; lesson mails can be switched off, account mails cannot', async () => {
    const confirmations = mailsTo(student.email).filter(withTemplate('lesson-confirmed')).length;
    const start = hoursFromNow(3);
    const lesson = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 30, format: 'ONLINE' },
      })
    ).requestLesson;
    await teacher.gql.ok(CONFIRM, { id: lesson.id });
    t.clock.advance(start.getTime() + 3_600_000 - Date.now());
    try {
      await teacher.gql.ok(COMPLETE, { id: lesson.id });
      const [review] = await waitForMails(student.email, withTemplate('lesson-completed'));
      expect(review.text).toContain(`https://app.example.test/lessons/${lesson.id}/review`);
      expect(invitationOf(review)).toBeNull();
    } finally {
      t.clock.reset();
    }

    expect((await student.gql.ok(PREFERENCES)).notificationPreferences).toEqual([
      { category: 'ACCOUNT', email: true, canDisable: false },
      { category: 'SECURITY', email: true, canDisable: false },
      { category: 'LESSON_UPDATES', email: true, canDisable: true },
      { category: 'REMINDERS', email: true, canDisable: true },
    ]);
    const refused = await student.gql.request(SET_PREFERENCES, {
      input: [
        { category: 'SECURITY', email: false },
        { category: 'REMINDERS', email: false },
      ],
    });
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.0.email', message: 'SECURITY mails cannot be switched off' }],
    });
    const unknown = await student.gql.request(SET_PREFERENCES, { input: [{ category: 'MARKETING', email: false }] });
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].message).toContain('MARKETING');

    // One click in the mail client (RFC 8058) switches lesson updates off.
    const confirmed = (await waitForMails(student.email, withTemplate('lesson-confirmed'), confirmations + 1)).pop()!;
    // PUBLIC_BASE_URL names the API's public origin; this test server listens on a port of its own.
    const url = /^<(.+)>$/.exec(confirmed.headers['list-unsubscribe'])![1].replace(/^https?:\/\/[^/]+/, t.baseUrl);
    expect((await fetch(url)).status).toBe(200); // the page asks; nothing changes yet
    expect((await student.gql.ok(PREFERENCES)).notificationPreferences[2].email).toBe(true);
    const post = await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(post.status).toBe(200);
    expect((await student.gql.ok(PREFERENCES)).notificationPreferences[2]).toEqual({
      category: 'LESSON_UPDATES',
      email: false,
      canDisable: true,
    });
    expect((await fetch(url.replace(/token=[^&]+/, 'token=forged'), { method: 'POST' })).status).toBe(404);

    // The next lesson update reaches the app but not the inbox.
    const next = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start: hoursFromNow(50).toISOString(), durationMinutes: 30, format: 'ONLINE' },
      })
    ).requestLesson;
    await teacher.gql.ok(CONFIRM, { id: next.id });
    await settle();
    const inbox = (await student.gql.ok(INBOX)).me.notifications.edges.map((e: any) => e.node);
    expect(inbox.filter((n: any) => n.lessonId === next.id).map((n: any) => n.kind)).toEqual(['lesson-confirmed']);
    expect(mailsTo(student.email).filter(withTemplate('lesson-confirmed'))).toHaveLength(confirmations + 1);

    // And on again.
    const back = await student.gql.ok(SET_PREFERENCES, { input: [{ category: 'LESSON_UPDATES', email: true }] });
    expect(back.updateNotificationPreferences[2].email).toBe(true);
  });
});
