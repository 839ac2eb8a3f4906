import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, GraphQLObjectType } from 'graphql';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { MediaRepository } from '../src/media/media.repository';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  createAccount,
  createTeacher,
  GraphQLResponse,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TEST_PASSWORD,
  TestAccount,
  TestApp,
  tokenFrom,
  waitForMails,
  withTemplate,
} from '@app/testing';
import { UsersService } from '../src/users/users.service';
import { send } from './chat-support';
import { completeProfile, PUBLISH, teacherWithProfile, UPSERT } from './teachers-support';
import { COMPLETE_UPLOAD, createUpload, postForm } from './media-support';
import { BUY, confirmCard, UPSERT_PACKAGE } from './payments-support';
import { silentWav, uploadRecording } from './recordings-support';
import type { LessonAnalysis } from '../src/recordings/analysis/analysis.types';
import { RecordingState } from '../src/recordings/recording.types';
import { RecordingsRepository } from '../src/recordings/recordings.repository';

/**
 * Who may call each root operation of the schema: the documentation of access rules that every
 * module extends. Add a row for each new Query, Mutation and Subscription field; the coverage
 * test below fails while schema.gql has a root field this table lacks (or a row names a field
 * that no longer exists).
 *
 * Callers:
 * - anonymous: no token;
 * - student, teacher, admin: a signed-in account of that role acting on someone else's account;
 * - owner: a signed-in STUDENT acting on its own account. Only checked for rows that name or act on
 *   one account (`owned: true`), where "it is mine" could change the answer.
 *
 * Expectations for each (operation, caller):
 * - allowed: no errors at all and data for the field (the documents use valid input);
 * - denied: anonymous gets UNAUTHENTICATED, a signed-in caller FORBIDDEN, and no data for the field.
 *   (Lookups by id are nullable: a missing thing is null without an error, an unauthorized caller
 *   still gets the error.)
 */

type Caller = 'anonymous' | 'student' | 'teacher' | 'admin' | 'owner';
type Kind = 'query' | 'mutation' | 'subscription';

interface Fixture {
  /** The account making the call; null for anonymous. Fresh for every test, so destructive calls affect nobody else. */
  caller: TestAccount | null;
  /** The account the operation names or acts upon: the caller itself for `owner`, else a fresh throwaway STUDENT. */
  subject: TestAccount;
  /** What the row's `setup` made for this test (e.g. a published teacher), if it has one. */
  prepared?: Record<string, any>;
}

interface Operation {
  query: string;
  variables?: Record<string, unknown>;
}

interface Row {
  field: string;
  kind: Kind;
  /** Whether the operation names or acts on one account, so that `owner` is checked too. */
  owned: boolean;
  allowed: readonly Caller[];
  build: (fx: Fixture) => Operation;
  /** Further assertions on the data of an allowed call. */
  check?: (data: Record<string, any>, fx: Fixture, caller: Caller) => void;
  /** Subscriptions: makes the subject's account emit an event once the subscription is accepted. */
  trigger?: (fx: Fixture) => Promise<unknown>;
  /** State the operation needs, made before `build` for every caller; the result lands in `fx.prepared`. */
  setup?: (t: TestApp, fx: Fixture) => Promise<Record<string, any>>;
}

const EVERYONE: readonly Caller[] = ['anonymous', 'student', 'teacher', 'admin', 'owner'];
const SIGNED_IN: readonly Caller[] = ['student', 'teacher', 'admin', 'owner'];
const ADMIN_ONLY: readonly Caller[] = ['admin'];

const USER_FIELDS = 'id displayName roles email status';
const SESSION_FIELDS = `accessToken refreshToken user { ${USER_FIELDS} }`;

const UPDATE_ME = `mutation UpdateMe($input: UpdateMeInput!) { updateMe(input: $input) { ${USER_FIELDS} timeZone } }`;

const UPSERT_MINE =
  'mutation Upsert($input: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $input) { id published } }';

/** The private details of a teacher (Teacher.defaultMeetingUrl, studioAddress): only the teacher and admins see them. */
const PRIVATE_PLACE = {
  defaultMeetingUrl: 'https://meet.example.com/matrix',
  studioAddress: 'Matrixstraße 1, 10115 Berlin',
};

/** Setup: another TEACHER with a published profile, and an instrument nobody else teaches. */
async function publishedTeacher(t: TestApp): Promise<Record<string, any>> {
  const instrument = `Matrix ${uniqueSuffix().replace(/[^a-z0-9]/g, '')}`;
  const teacher = await teacherWithProfile(
    t,
    completeProfile({ instruments: [{ name: instrument, levels: ['BEGINNER'] }], ...PRIVATE_PLACE }),
  );
  return { id: teacher.id, slug: teacher.profile.slug, instrument };
}

/** Setup: the caller's own complete profile, published or not (a caller that is not a teacher gets none). */
function ownProfile(published: boolean) {
  return async (_t: TestApp, { caller }: Fixture): Promise<Record<string, any>> => {
    if (caller) {
      await caller.gql.request(UPSERT, { input: completeProfile() });
      if (published) await caller.gql.request(PUBLISH);
    }
    return {};
  };
}

// ── Payments fixtures ──
/** Setup: a teacher selling a package (60 minutes, EUR). */
async function teacherWithPackage(t: TestApp): Promise<Record<string, any>> {
  const teacher = await createTeacher(t);
  const pkg = (await teacher.gql.ok(UPSERT_PACKAGE, { input: PACKAGE_INPUT })).upsertPackage;
  return { teacher, packageId: pkg.id };
}

/** Setup: a package the subject bought and paid (card confirmed at localstripe). */
async function paidPackageOfSubject(t: TestApp, fx: Fixture): Promise<Record<string, any>> {
  const { packageId } = await teacherWithPackage(t);
  const bought = (await fx.subject.gql.ok(BUY, { id: packageId, key: `m-${packageId}` })).buyPackage;
  await confirmCard(bought.clientSecret);
  await fx.subject.gql.ok('query P($id: ID!) { payment(id: $id) { state } }', { id: bought.id });
  return { paymentId: bought.id };
}

/** Setup: a lesson the subject requested, paid per lesson (its payment id is `L-<lessonId>`). */
async function lessonPaymentOfSubject(t: TestApp, fx: Fixture): Promise<Record<string, any>> {
  const prepared = await lessonOfSubject(t, fx);
  return { ...prepared, paymentId: `L-${prepared.lessonId}` };
}

const PACKAGE_INPUT = {
  name: 'Five lessons',
  durationMinutes: 60,
  credits: 5,
  amountMinor: 20000,
  currency: 'EUR',
  validityMonths: 6,
};

// ── Bookings and reviews fixtures ──
let slotHour = 24;
/** A fresh start for each request, so rows never compete for a slot. */
const nextStart = () => hoursFromNow(slotHour++).toISOString();
const requestInput = (teacherId: string, start = nextStart()) => ({
  input: { teacherId, start, durationMinutes: 60, format: 'ONLINE' },
});

/** Setup: a bookable teacher (published profile, open every day). */
async function bookableTeacher(t: TestApp): Promise<Record<string, any>> {
  const teacher = await createTeacher(t);
  return { teacher, teacherId: teacher.id };
}

/** Setup: a PENDING lesson the subject requested (ONLINE, with the teacher's default meeting link). */
async function lessonOfSubject(t: TestApp, { subject }: Fixture): Promise<Record<string, any>> {
  const teacher = await createTeacher(t, { profile: { defaultMeetingUrl: PRIVATE_PLACE.defaultMeetingUrl } });
  const start = nextStart();
  const lesson = (await subject.gql.ok(REQUEST_LESSON, requestInput(teacher.id, start))).requestLesson;
  return { teacher, lessonId: lesson.id, start };
}

/** Setup: a weekly series of two the subject requested. */
async function seriesOfSubject(t: TestApp, { subject }: Fixture): Promise<Record<string, any>> {
  const teacher = await createTeacher(t);
  const SERIES = 'mutation S($input: RequestLessonSeriesInput!) { requestLessonSeries(input: $input) { id } }';
  const lessons = (await subject.gql.ok(SERIES, { input: { ...requestInput(teacher.id).input, occurrences: 2 } }))
    .requestLessonSeries;
  return { teacher, lessonId: lessons[0].id };
}

/** Setup: a COMPLETED lesson of the subject (the clock visits its end, then returns). */
async function completedLessonOfSubject(t: TestApp, fx: Fixture): Promise<Record<string, any>> {
  const prepared = await lessonOfSubject(t, fx);
  await prepared.teacher.gql.ok('mutation C($id: ID!) { confirmLesson(id: $id) { id } }', { id: prepared.lessonId });
  t.clock.advance(new Date(prepared.start).getTime() + 2 * 3_600_000 - Date.now());
  try {
    await prepared.teacher.gql.ok('mutation C($id: ID!) { completeLesson(id: $id) { id } }', { id: prepared.lessonId });
  } finally {
    t.clock.reset();
  }
  return prepared;
}

/**
 * Setup: a CONFIRMED lesson of the subject that has started (the clock stays past its start until
 * the test ends), both consents given and the subject's recording of it uploaded; with `attach`,
 * attached too.
 */
let SECOND_OF_SILENCE: Buffer | undefined;
function recordableLessonOfSubject(attach: boolean) {
  return async (t: TestApp, fx: Fixture): Promise<Record<string, any>> => {
    const prepared = await lessonOfSubject(t, fx);
    const CONSENT = 'mutation C($id: ID) { setRecordingConsent(lessonId: $id, granted: true) { lesson } }';
    await prepared.teacher.gql.ok('mutation C($id: ID!) { confirmLesson(id: $id) { id } }', { id: prepared.lessonId });
    await prepared.teacher.gql.ok('mutation { setRecordingConsent(granted: true) { standing } }');
    await fx.subject.gql.ok(CONSENT, { id: prepared.lessonId });
    const mediaId = await uploadRecording(fx.subject, prepared.lessonId, (SECOND_OF_SILENCE ??= silentWav(1)));
    t.clock.advance(new Date(prepared.start).getTime() + 60_000 - Date.now());
    if (attach) {
      const ATTACH = 'mutation A($l: ID!, $m: ID!) { attachLessonRecording(lessonId: $l, mediaId: $m) { state } }';
      await fx.subject.gql.ok(ATTACH, { l: prepared.lessonId, m: mediaId });
    }
    return { ...prepared, mediaId };
  };
}

/** Setup: a READY recording of a confirmed lesson of the subject, with one practice assignment (stored directly). */
async function analysedLessonOfSubject(t: TestApp, fx: Fixture): Promise<Record<string, any>> {
  const prepared = await lessonOfSubject(t, fx);
  await prepared.teacher.gql.ok('mutation C($id: ID!) { confirmLesson(id: $id) { id } }', { id: prepared.lessonId });
  const now = new Date();
  await t.app.get(RecordingsRepository).insert({
    lessonId: prepared.lessonId,
    mediaId: '01JMATRIXMEDIA0000000000000',
    teacherId: prepared.teacher.id,
    studentId: fx.subject.id,
    attachedBy: fx.subject.id,
    state: RecordingState.READY,
    language: 'en',
    provider: null,
    jobId: null,
    retryingSince: null,
    lastError: null,
    failureReason: null,
    transcript: null,
    insights: { assignments: [{ text: 'Practise the scale at 80 BPM.', at: 10, targetBpm: 80 }] } as LessonAnalysis,
    assignmentsDone: [],
    attachedAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });
  return prepared;
}

/** Setup: a recordable lesson of the caller's own (a subscription hears about the caller's lessons). */
async function recordableLessonOfCaller(t: TestApp, fx: Fixture): Promise<Record<string, any>> {
  return fx.caller ? recordableLessonOfSubject(false)(t, { ...fx, subject: fx.caller }) : {};
}

/** Attaches a new recording to the prepared lesson of the caller (deleting the one before, if any). */
async function attachAnotherRecording({ caller, prepared }: Fixture): Promise<void> {
  await caller!.gql.request('mutation D($l: ID!) { deleteLessonRecording(lessonId: $l) }', { l: prepared!.lessonId });
  const mediaId = await uploadRecording(caller!, prepared!.lessonId, SECOND_OF_SILENCE!);
  const ATTACH = 'mutation A($l: ID!, $m: ID!) { attachLessonRecording(lessonId: $l, mediaId: $m) { state } }';
  await caller!.gql.ok(ATTACH, { l: prepared!.lessonId, m: mediaId });
}

/** Setup: a review by the subject of a completed lesson. */
async function reviewBySubject(t: TestApp, fx: Fixture): Promise<Record<string, any>> {
  const prepared = await completedLessonOfSubject(t, fx);
  const CREATE = 'mutation R($input: CreateReviewInput!) { createReview(input: $input) { id } }';
  const review = (
    await fx.subject.gql.ok(CREATE, { input: { lessonId: prepared.lessonId, rating: 5, text: 'Lovely' } })
  ).createReview;
  return { ...prepared, reviewId: review.id };
}

// ── Media fixtures ──
/** A 1 × 1 PNG. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Setup: an AVATAR of the given account, uploaded (not yet completed unless `complete`). */
async function avatarOf(account: TestAccount | null, complete: boolean): Promise<Record<string, any>> {
  if (!account) return { mediaId: '01JNOBODYSMEDIA' };
  const ticket = await createUpload(account.gql, {
    purpose: 'AVATAR',
    contentType: 'image/png',
    byteSize: TINY_PNG.length,
  });
  expect(await postForm(ticket, TINY_PNG, 'image/png')).toBe(204);
  if (complete) await account.gql.ok(COMPLETE_UPLOAD, { id: ticket.media.id });
  return { mediaId: ticket.media.id };
}

/** Setup: the subject's verified avatar (public once its derivatives exist). */
async function subjectsAvatar(t: TestApp, { subject }: Fixture): Promise<Record<string, any>> {
  const prepared = await avatarOf(subject, true);
  // The derivatives job runs on this server's scheduler too: wait (bounded) until it has.
  for (let i = 0; i < 100; i++) {
    await t.app.get(JobScheduler).runDueDelayed();
    if ((await t.app.get(MediaRepository).findById(prepared.mediaId))?.status === 'READY') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return prepared;
}

// ── Notifications fixtures ──
/** Setup: the token of a real verification mail, of a fresh account that has not confirmed its address. */
async function verificationToken(t: TestApp): Promise<Record<string, any>> {
  const fresh = await createAccount(t, 'STUDENT', {}, {}, { verified: false });
  const [mail] = await waitForMails(fresh.email, withTemplate('verify-email'));
  return { token: tokenFrom(mail, 'verify-email') };
}

/** Setup: the token of a real password-reset mail for the subject. */
async function resetToken(t: TestApp, { subject }: Fixture): Promise<Record<string, any>> {
  await t.gql.ok('mutation R($email: EmailAddress!) { requestPasswordReset(email: $email) }', { email: subject.email });
  const [mail] = await waitForMails(subject.email, withTemplate('password-reset'));
  return { token: tokenFrom(mail, 'reset-password') };
}

/** Setup: the caller's address is not confirmed yet, so there is a verification mail to resend. */
async function callerUnverified(t: TestApp, { caller }: Fixture): Promise<Record<string, any>> {
  if (caller) await t.app.get(UsersService).update(caller.id, { emailVerified: false });
  return {};
}

// ── Chat fixtures ──
/** One published teacher every chat row talks to (each test has its own subject, so its own conversation). */
let chatTeacher: Promise<TestAccount> | undefined;
const teacherToTalkTo = (t: TestApp) => (chatTeacher ??= createTeacher(t));

/** Setup: the subject's conversation with the teacher, with a message of each. */
async function conversationOfSubject(t: TestApp, { subject }: Fixture): Promise<Record<string, any>> {
  const teacher = await teacherToTalkTo(t);
  const mine = await send(subject, { toUserId: teacher.id, text: 'matrix' });
  const theirs = await send(teacher, { conversationId: mine.conversationId, text: 'matrix reply' });
  return { teacher, conversationId: mine.conversationId, messageId: mine.id, theirMessageId: theirs.id };
}

/** Opens a socket as `account` and closes it once accepted: its presence goes ONLINE, then OFFLINE (no grace here). */
async function connectBriefly(t: TestApp, account: TestAccount): Promise<void> {
  const client = createClient({
    url: `${t.baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${account.accessToken}` },
    onNonLazyError: () => undefined,
  });
  await new Promise<void>((resolve) => {
    client.on('connected', () => resolve());
    client.on('closed', () => resolve());
  });
  await client.dispose();
}

// prettier-ignore
const MATRIX: readonly Row[] = [
  // ── Queries ────────────────────────────────────────────────────────────────────────────────
  { field: 'serverTime', kind: 'query', owned: false, allowed: EVERYONE,
    build: () => ({ query: '{ serverTime }' }) },
  { field: 'user', kind: 'query', owned: true, allowed: EVERYONE,
    build: ({ subject }) => ({ query: `query User($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, variables: { id: subject.id } }),
    // Public fields for everyone; private ones only for the user themself and admins.
    check: (data, { subject }, caller) => {
      expect(data.user.id).toBe(subject.id);
      expect(data.user.displayName).toEqual(expect.any(String));
      const privileged = caller === 'owner' || caller === 'admin';
      expect(data.user.email).toBe(privileged ? subject.email : null);
      expect(data.user.status).toBe(privileged ? 'ACTIVE' : null);
    } },
  { field: 'me', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: `{ me { ${USER_FIELDS} } }` }),
    check: (data, { caller }) => {
      expect(data.me.id).toBe(caller!.id);
      expect(data.me.email).toBe(caller!.email);
    } },
  { field: 'users', kind: 'query', owned: false, allowed: ADMIN_ONLY,
    build: ({ subject }) => ({
      query: `query Users($first: Int, $filter: UsersFilter) { users(first: $first, filter: $filter) { edges { node { ${USER_FIELDS} } } } }`,
      variables: { first: 100, filter: { search: subject.email } },
    }),
    check: (data, { subject }) => expect(data.users.edges.map((e: any) => e.node.email)).toEqual([subject.email]) },
  // Teachers: published profiles are public; each test gets a fresh published teacher.
  { field: 'teacher', kind: 'query', owned: false, allowed: EVERYONE, setup: publishedTeacher,
    build: ({ prepared }) => ({ query: 'query T($id: ID!) { teacher(id: $id) { id published defaultMeetingUrl studioAddress } }', variables: { id: prepared!.id } }),
    // The meeting link and studio address are private: none of these callers is the teacher, so only the admin sees them.
    check: (data, { prepared }, caller) => expect(data.teacher).toEqual({
      id: prepared!.id, published: true,
      ...(caller === 'admin' ? PRIVATE_PLACE : { defaultMeetingUrl: null, studioAddress: null }),
    }) },
  { field: 'teacherBySlug', kind: 'query', owned: false, allowed: EVERYONE, setup: publishedTeacher,
    build: ({ prepared }) => ({ query: 'query T($slug: String!) { teacherBySlug(slug: $slug) { id } }', variables: { slug: prepared!.slug } }),
    check: (data, { prepared }) => expect(data.teacherBySlug.id).toBe(prepared!.id) },
  { field: 'searchTeachers', kind: 'query', owned: false, allowed: EVERYONE, setup: publishedTeacher,
    build: ({ prepared }) => ({
      query: 'query S($filter: TeacherSearchFilter) { searchTeachers(filter: $filter) { edges { node { id } } } }',
      variables: { filter: { instrument: prepared!.instrument } },
    }),
    check: (data, { prepared }) => expect(data.searchTeachers.edges.map((e: any) => e.node.id)).toEqual([prepared!.id]) },

  // Bookings: openSlots is public; a lesson is for its participants and admins.
  { field: 'openSlots', kind: 'query', owned: false, allowed: EVERYONE, setup: bookableTeacher,
    build: ({ prepared }) => ({
      query: 'query O($id: ID!, $from: DateTime!, $to: DateTime!) { openSlots(teacherId: $id, from: $from, to: $to, durationMinutes: 60) { start } }',
      variables: { id: prepared!.teacherId, from: hoursFromNow(30).toISOString(), to: hoursFromNow(34).toISOString() },
    }),
    check: (data) => expect(data.openSlots.length).toBeGreaterThan(0) },
  { field: 'lesson', kind: 'query', owned: true, allowed: ['admin', 'owner'], setup: lessonOfSubject,
    build: ({ prepared }) => ({ query: 'query L($id: ID!) { lesson(id: $id) { id status place { meetingUrl } } }', variables: { id: prepared!.lessonId } }),
    // Where it happens (Lesson.place) comes with the lesson: participants and admins (test/bookings-place covers the rest).
    // The student (owner) sees the teacher's link only once the teacher confirms (src/bookings/lesson-place.ts).
    check: (data, { prepared }, caller) => expect(data.lesson).toEqual({ id: prepared!.lessonId, status: 'PENDING', place: { meetingUrl: caller === 'admin' ? PRIVATE_PLACE.defaultMeetingUrl : null } }) },
  { field: 'myLessons', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: '{ myLessons(as: AS_STUDENT, first: 5) { edges { node { id } } } }' }) },
  { field: 'calendarFeed', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: '{ calendarFeed { url } }' }),
    check: (data) => expect(data.calendarFeed.url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/) },
  { field: 'myWeeklyAvailability', kind: 'query', owned: false, allowed: ['teacher'],
    build: () => ({ query: '{ myWeeklyAvailability { weekday start end } }' }) },
  { field: 'myAvailabilityOverrides', kind: 'query', owned: false, allowed: ['teacher'],
    build: () => ({ query: '{ myAvailabilityOverrides(fromDate: "2027-01-01", toDate: "2027-01-31") { date } }' }) },
  // Media: uploads and their use are the caller's own; a public media (an avatar) is visible to
  // everyone. Private media (recordings, attachments) answer null to others: test/media-profiles.
  { field: 'media', kind: 'query', owned: true, allowed: EVERYONE, setup: subjectsAvatar,
    build: ({ prepared }) => ({ query: 'query M($id: ID!) { media(id: $id) { id status } }', variables: { id: prepared!.mediaId } }),
    check: (data, { prepared }) => expect(data.media).toEqual({ id: prepared!.mediaId, status: 'READY' }) },
  { field: 'myMediaUsage', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: '{ myMediaUsage { count maxCount } }' }) },
  { field: 'teacherPackages', kind: 'query', owned: false, allowed: EVERYONE, setup: teacherWithPackage,
    build: ({ prepared }) => ({ query: 'query P($id: ID!) { teacherPackages(teacherId: $id) { id } }', variables: { id: prepared!.teacher.id } }),
    check: (data) => expect(data.teacherPackages).toHaveLength(1) },
  { field: 'myCredits', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: '{ myCredits { id available } }' }) },
  { field: 'myPayments', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: '{ myPayments(first: 5) { edges { node { id state } } } }' }) },
  { field: 'myEarnings', kind: 'query', owned: false, allowed: ['teacher'],
    build: () => ({ query: '{ myEarnings(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { currency net { amountMinor } } }' }) },
  { field: 'payment', kind: 'query', owned: true, allowed: ['owner', 'admin'], setup: lessonPaymentOfSubject,
    build: ({ prepared }) => ({ query: 'query P($id: ID!) { payment(id: $id) { id state } }', variables: { id: prepared!.paymentId } }) },
  { field: 'lessonPayment', kind: 'query', owned: true, allowed: ['owner', 'admin'], setup: lessonOfSubject,
    build: ({ prepared }) => ({ query: 'query P($id: ID!) { lessonPayment(lessonId: $id) { id state } }', variables: { id: prepared!.lessonId } }) },
  { field: 'receipt', kind: 'query', owned: true, allowed: ['owner', 'admin'], setup: lessonPaymentOfSubject,
    build: ({ prepared }) => ({ query: 'query P($id: ID!) { receipt(paymentId: $id) { paymentId html } }', variables: { id: prepared!.paymentId } }),
    check: (data) => expect(data.receipt.html).toContain('<h1>Take Sessions — receipt</h1>') },
  { field: 'notificationPreferences', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: '{ notificationPreferences { category email canDisable } }' }),
    check: (data) => expect(data.notificationPreferences).toHaveLength(4) },
  { field: 'teacherReviews', kind: 'query', owned: false, allowed: EVERYONE, setup: bookableTeacher,
    build: ({ prepared }) => ({ query: 'query R($id: ID!) { teacherReviews(teacherId: $id) { edges { node { id } } } }', variables: { id: prepared!.teacherId } }) },
  // Chat: your own conversations only (admins do not read them); moderators list reports.
  { field: 'conversations', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: '{ conversations(first: 5) { edges { node { id unreadCount } } } }' }) },
  { field: 'conversation', kind: 'query', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'query C($id: ID!) { conversation(id: $id) { id unreadCount } }', variables: { id: prepared!.conversationId } }),
    check: (data, { prepared }) => expect(data.conversation).toEqual({ id: prepared!.conversationId, unreadCount: 1 }) },
  { field: 'messages', kind: 'query', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'query M($id: ID!) { messages(conversationId: $id) { edges { node { text } } } }', variables: { id: prepared!.conversationId } }),
    check: (data) => expect(data.messages.edges.map((e: any) => e.node.text)).toEqual(['matrix', 'matrix reply']) },
  { field: 'messageReports', kind: 'query', owned: false, allowed: ADMIN_ONLY,
    build: () => ({ query: '{ messageReports(first: 5) { edges { node { id } } } }' }) },

  // ── Mutations ──────────────────────────────────────────────────────────────────────────────
  { field: 'signUp', kind: 'mutation', owned: false, allowed: EVERYONE,
    build: () => ({
      query: `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${SESSION_FIELDS} } }`,
      variables: { input: { email: `matrix-${uniqueSuffix()}@example.test`, password: TEST_PASSWORD, displayName: 'Matrix', timeZone: 'Europe/Berlin', role: 'STUDENT' } },
    }),
    check: (data) => expect(data.signUp.user.roles).toEqual(['STUDENT']) },
  { field: 'logIn', kind: 'mutation', owned: true, allowed: EVERYONE,
    build: ({ subject }) => ({
      query: `mutation LogIn($input: LogInInput!) { logIn(input: $input) { ${SESSION_FIELDS} } }`,
      variables: { input: { email: subject.email, password: TEST_PASSWORD } },
    }),
    check: (data, { subject }) => expect(data.logIn.user.id).toBe(subject.id) },
  { field: 'refreshSession', kind: 'mutation', owned: true, allowed: EVERYONE,
    build: ({ subject }) => ({
      query: `mutation Refresh($token: String!) { refreshSession(refreshToken: $token) { ${SESSION_FIELDS} } }`,
      variables: { token: subject.refreshToken },
    }),
    check: (data, { subject }) => expect(data.refreshSession.user.id).toBe(subject.id) },
  { field: 'logOut', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'mutation { logOut }' }),
    check: (data) => expect(data.logOut).toBe(true) },
  { field: 'logOutEverywhere', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'mutation { logOutEverywhere }' }),
    check: (data) => expect(data.logOutEverywhere).toBe(true) },
  { field: 'changePassword', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({
      query: `mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ${SESSION_FIELDS} } }`,
      variables: { input: { currentPassword: TEST_PASSWORD, newPassword: 'a different long passphrase' } },
    }),
    check: (data, { caller }) => expect(data.changePassword.user.id).toBe(caller!.id) },
  { field: 'updateMe', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: UPDATE_ME, variables: { input: { displayName: 'Renamed by the matrix', timeZone: 'America/New_York' } } }),
    check: (data, { caller }) => {
      expect(data.updateMe.id).toBe(caller!.id);
      expect(data.updateMe).toMatchObject({ displayName: 'Renamed by the matrix', timeZone: 'America/New_York' });
    } },
  // Account e-mails: the token is the credential (verify, reset); asking for a reset needs no account.
  { field: 'verifyEmail', kind: 'mutation', owned: false, allowed: EVERYONE, setup: verificationToken,
    build: ({ prepared }) => ({ query: 'mutation V($token: String!) { verifyEmail(token: $token) }', variables: { token: prepared!.token } }),
    check: (data) => expect(data.verifyEmail).toBe(true) },
  { field: 'resendVerificationEmail', kind: 'mutation', owned: true, allowed: SIGNED_IN, setup: callerUnverified,
    build: () => ({ query: 'mutation { resendVerificationEmail }' }),
    check: (data) => expect(data.resendVerificationEmail).toBe(true) },
  { field: 'requestPasswordReset', kind: 'mutation', owned: true, allowed: EVERYONE,
    build: ({ subject }) => ({ query: 'mutation R($email: EmailAddress!) { requestPasswordReset(email: $email) }', variables: { email: subject.email } }),
    check: (data) => expect(data.requestPasswordReset).toBe(true) },
  { field: 'resetPassword', kind: 'mutation', owned: true, allowed: EVERYONE, setup: resetToken,
    build: ({ prepared }) => ({
      query: 'mutation R($input: ResetPasswordInput!) { resetPassword(input: $input) }',
      variables: { input: { token: prepared!.token, newPassword: 'a brand new passphrase' } },
    }),
    check: (data) => expect(data.resetPassword).toBe(true) },
  { field: 'changeEmail', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({
      query: 'mutation C($input: ChangeEmailInput!) { changeEmail(input: $input) { id email emailVerified } }',
      variables: { input: { newEmail: `moved-${uniqueSuffix()}@example.test`, currentPassword: TEST_PASSWORD } },
    }),
    check: (data, { caller }) => expect(data.changeEmail).toMatchObject({ id: caller!.id, emailVerified: false }) },
  // Notifications: each viewer's own list and preferences.
  { field: 'markNotificationsRead', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'mutation { markNotificationsRead }' }),
    check: (data) => expect(data.markNotificationsRead).toBe(0) },
  { field: 'updateNotificationPreferences', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'mutation { updateNotificationPreferences(input: [{ category: REMINDERS, email: false }]) { category email } }' }),
    check: (data) => expect(data.updateNotificationPreferences).toContainEqual({ category: 'REMINDERS', email: false }) },
  // Admin actions target the subject: a throwaway account, never the caller (owner = a student on itself).
  { field: 'suspendUser', kind: 'mutation', owned: true, allowed: ADMIN_ONLY,
    build: ({ subject }) => ({ query: `mutation Suspend($id: ID!) { suspendUser(id: $id) { ${USER_FIELDS} } }`, variables: { id: subject.id } }),
    check: (data, { subject }) => expect(data.suspendUser).toMatchObject({ id: subject.id, status: 'SUSPENDED' }) },
  { field: 'reinstateUser', kind: 'mutation', owned: true, allowed: ADMIN_ONLY,
    build: ({ subject }) => ({ query: `mutation Reinstate($id: ID!) { reinstateUser(id: $id) { ${USER_FIELDS} } }`, variables: { id: subject.id } }),
    check: (data, { subject }) => expect(data.reinstateUser).toMatchObject({ id: subject.id, status: 'ACTIVE' }) },
  { field: 'setUserRoles', kind: 'mutation', owned: true, allowed: ADMIN_ONLY,
    build: ({ subject }) => ({
      query: `mutation SetRoles($id: ID!, $roles: [Role!]!) { setUserRoles(id: $id, roles: $roles) { ${USER_FIELDS} } }`,
      variables: { id: subject.id, roles: ['ADMIN', 'TEACHER'] },
    }),
    check: (data, { subject }) => expect(data.setUserRoles).toMatchObject({ id: subject.id, roles: expect.arrayContaining(['ADMIN', 'TEACHER']) }) },
  // A teacher's own profile: only TEACHER accounts have one (an admin is not a teacher).
  { field: 'upsertMyTeacherProfile', kind: 'mutation', owned: false, allowed: ['teacher'],
    build: () => ({ query: UPSERT_MINE, variables: { input: completeProfile() } }),
    check: (data, { caller }) => expect(data.upsertMyTeacherProfile).toEqual({ id: caller!.id, published: false }) },
  { field: 'publishMyTeacherProfile', kind: 'mutation', owned: false, allowed: ['teacher'], setup: ownProfile(false),
    build: () => ({ query: 'mutation { publishMyTeacherProfile { id published } }' }),
    check: (data, { caller }) => expect(data.publishMyTeacherProfile).toEqual({ id: caller!.id, published: true }) },
  { field: 'unpublishMyTeacherProfile', kind: 'mutation', owned: false, allowed: ['teacher'], setup: ownProfile(true),
    build: () => ({ query: 'mutation { unpublishMyTeacherProfile { id published } }' }),
    check: (data, { caller }) => expect(data.unpublishMyTeacherProfile).toEqual({ id: caller!.id, published: false }) },
  { field: 'unpublishTeacherProfile', kind: 'mutation', owned: false, allowed: ADMIN_ONLY, setup: publishedTeacher,
    build: ({ prepared }) => ({ query: 'mutation U($id: ID!) { unpublishTeacherProfile(id: $id) { id published } }', variables: { id: prepared!.id } }),
    check: (data, { prepared }) => expect(data.unpublishTeacherProfile).toEqual({ id: prepared!.id, published: false }) },

  { field: 'deleteMyAccount', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'mutation D($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) }', variables: { input: { password: TEST_PASSWORD } } }),
    check: (data) => expect(data.deleteMyAccount).toBe(true) },
  { field: 'deleteUser', kind: 'mutation', owned: true, allowed: ADMIN_ONLY,
    build: ({ subject }) => ({ query: 'mutation D($id: ID!) { deleteUser(id: $id) }', variables: { id: subject.id } }),
    check: (data) => expect(data.deleteUser).toBe(true) },

  // Media: anyone signed in uploads their own files; the profile's media are a teacher's.
  { field: 'createUpload', kind: 'mutation', owned: false, allowed: SIGNED_IN,
    build: () => ({
      query: 'mutation C($input: CreateUploadInput!) { createUpload(input: $input) { media { id status } url } }',
      variables: { input: { purpose: 'AVATAR', contentType: 'image/png', byteSize: TINY_PNG.length } },
    }),
    check: (data) => expect(data.createUpload.media.status).toBe('UPLOADING') },
  { field: 'completeUpload', kind: 'mutation', owned: false, allowed: SIGNED_IN,
    setup: (_t, { caller }) => avatarOf(caller, false),
    build: ({ prepared }) => ({ query: 'mutation C($id: ID!) { completeUpload(id: $id) { id status } }', variables: { id: prepared!.mediaId } }),
    check: (data) => expect(data.completeUpload.status).toBe('PROCESSING') },
  { field: 'deleteMedia', kind: 'mutation', owned: false, allowed: SIGNED_IN,
    setup: (_t, { caller }) => avatarOf(caller, true),
    build: ({ prepared }) => ({ query: 'mutation D($id: ID!) { deleteMedia(id: $id) }', variables: { id: prepared!.mediaId } }),
    check: (data) => expect(data.deleteMedia).toBe(true) },
  { field: 'setMyAvatar', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    setup: (_t, { caller }) => avatarOf(caller, true),
    build: ({ prepared }) => ({ query: 'mutation A($id: ID) { setMyAvatar(mediaId: $id) { id } }', variables: { id: prepared!.mediaId } }) },
  ...(['setMyTeacherPhoto', 'setMyTeacherIntroVideo'] as const).map((field): Row => ({
    field, kind: 'mutation', owned: false, allowed: ['teacher'], setup: ownProfile(false),
    build: () => ({ query: `mutation { ${field}(mediaId: null) { id } }` }),
  })),
  ...(['setMyTeacherGallery', 'setMyTeacherAudioClips'] as const).map((field): Row => ({
    field, kind: 'mutation', owned: false, allowed: ['teacher'], setup: ownProfile(false),
    build: () => ({ query: `mutation { ${field}(mediaIds: []) { id } }` }),
  })),

  // Bookings: anyone signed in may ask a teacher for a lesson; a lesson's student may cancel or move it.
  { field: 'requestLesson', kind: 'mutation', owned: false, allowed: SIGNED_IN, setup: bookableTeacher,
    build: ({ prepared }) => ({ query: `mutation Q($input: RequestLessonInput!) { requestLesson(input: $input) { id status } }`, variables: requestInput(prepared!.teacherId) }),
    check: (data) => expect(data.requestLesson.status).toBe('PENDING') },
  { field: 'requestLessonSeries', kind: 'mutation', owned: false, allowed: SIGNED_IN, setup: bookableTeacher,
    build: ({ prepared }) => ({
      query: 'mutation S($input: RequestLessonSeriesInput!) { requestLessonSeries(input: $input) { id } }',
      variables: { input: { ...requestInput(prepared!.teacherId).input, occurrences: 2 } },
    }),
    check: (data) => expect(data.requestLessonSeries).toHaveLength(2) },
  // Confirm, decline, complete, no-show and the meeting link: only the lesson's own teacher (covered in
  // test/bookings-lifecycle and test/bookings-place). Among these callers nobody may; the student participant is FORBIDDEN.
  { field: 'setLessonMeetingUrl', kind: 'mutation', owned: true, allowed: [], setup: lessonOfSubject,
    build: ({ prepared }) => ({ query: 'mutation M($id: ID!) { setLessonMeetingUrl(lessonId: $id, meetingUrl: "https://meet.example.com/x") { id } }', variables: { id: prepared!.lessonId } }) },
  ...(['confirmLesson', 'declineLesson', 'completeLesson', 'markNoShow'] as const).map((field): Row => ({
    field, kind: 'mutation', owned: true, allowed: [], setup: lessonOfSubject,
    build: ({ prepared }) => ({ query: `mutation M($id: ID!) { ${field}(id: $id) { id } }`, variables: { id: prepared!.lessonId } }),
  })),
  { field: 'cancelLesson', kind: 'mutation', owned: true, allowed: ['owner'], setup: lessonOfSubject,
    build: ({ prepared }) => ({ query: 'mutation C($id: ID!) { cancelLesson(id: $id, reason: "matrix") { id status } }', variables: { id: prepared!.lessonId } }),
    check: (data) => expect(data.cancelLesson.status).toBe('CANCELLED') },
  { field: 'rescheduleLesson', kind: 'mutation', owned: true, allowed: ['owner'], setup: lessonOfSubject,
    build: ({ prepared }) => ({
      query: 'mutation R($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { id start } }',
      variables: { input: { lessonId: prepared!.lessonId, start: new Date(new Date(prepared!.start).getTime() + 2 * 3_600_000).toISOString() } },
    }) },
  { field: 'cancelLessonSeries', kind: 'mutation', owned: true, allowed: ['owner'], setup: seriesOfSubject,
    build: ({ prepared }) => ({ query: 'mutation C($id: ID!) { cancelLessonSeries(fromLessonId: $id) { id status } }', variables: { id: prepared!.lessonId } }),
    check: (data) => expect(data.cancelLessonSeries.map((l: any) => l.status)).toEqual(['CANCELLED', 'CANCELLED']) },
  { field: 'rotateCalendarFeed', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'mutation { rotateCalendarFeed { url } }' }) },
  { field: 'setWeeklyAvailability', kind: 'mutation', owned: false, allowed: ['teacher'],
    build: () => ({ query: 'mutation { setWeeklyAvailability(windows: [{ weekday: TUESDAY, start: "16:00", end: "20:00" }]) { weekday } }' }) },
  { field: 'setAvailabilityOverrides', kind: 'mutation', owned: false, allowed: ['teacher'],
    build: () => ({ query: 'mutation { setAvailabilityOverrides(input: { overrides: [{ date: "2027-01-05", windows: [] }] }) }' }) },
  // Reviews: a lesson's student reviews it once completed; only the reviewed teacher replies; admins moderate.
  { field: 'upsertPackage', kind: 'mutation', owned: false, allowed: ['teacher'], setup: ownProfile(false),
    build: () => ({ query: 'mutation U($input: UpsertPackageInput!) { upsertPackage(input: $input) { id } }', variables: { input: PACKAGE_INPUT } }) },
  { field: 'buyPackage', kind: 'mutation', owned: false, allowed: SIGNED_IN, setup: teacherWithPackage,
    build: ({ prepared }) => ({ query: 'mutation B($id: ID!) { buyPackage(packageId: $id, idempotencyKey: "m-buy") { id clientSecret } }', variables: { id: prepared!.packageId } }) },
  { field: 'refundPayment', kind: 'mutation', owned: true, allowed: ADMIN_ONLY, setup: paidPackageOfSubject,
    build: ({ prepared }) => ({ query: 'mutation R($id: ID!) { refundPayment(paymentId: $id, reason: "matrix", idempotencyKey: "m-refund") { id } }', variables: { id: prepared!.paymentId } }) },
  { field: 'createReview', kind: 'mutation', owned: true, allowed: ['owner'], setup: completedLessonOfSubject,
    build: ({ prepared }) => ({ query: 'mutation R($input: CreateReviewInput!) { createReview(input: $input) { id rating } }', variables: { input: { lessonId: prepared!.lessonId, rating: 4, text: 'Good' } } }) },
  { field: 'replyToReview', kind: 'mutation', owned: true, allowed: [], setup: reviewBySubject,
    build: ({ prepared }) => ({ query: 'mutation R($id: ID!) { replyToReview(reviewId: $id, text: "Thanks") { id } }', variables: { id: prepared!.reviewId } }) },
  { field: 'hideReview', kind: 'mutation', owned: false, allowed: ADMIN_ONLY, setup: reviewBySubject,
    build: ({ prepared }) => ({ query: 'mutation H($id: ID!) { hideReview(id: $id) { id hidden } }', variables: { id: prepared!.reviewId } }) },
  { field: 'unhideReview', kind: 'mutation', owned: false, allowed: ADMIN_ONLY, setup: reviewBySubject,
    build: ({ prepared }) => ({ query: 'mutation U($id: ID!) { unhideReview(id: $id) { id hidden } }', variables: { id: prepared!.reviewId } }) },
  // Chat: anyone signed in may write to a published teacher; only participants act in a conversation.
  { field: 'sendMessage', kind: 'mutation', owned: false, allowed: SIGNED_IN, setup: (t) => teacherToTalkTo(t).then((teacher) => ({ teacher })),
    build: ({ prepared }) => ({
      query: 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }',
      variables: { input: { toUserId: prepared!.teacher.id, clientMessageId: `matrix-${uniqueSuffix()}`, text: 'Hello' } },
    }),
    check: (data) => expect(data.sendMessage.seq).toBe(1) },
  { field: 'editMessage', kind: 'mutation', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'mutation E($id: ID!) { editMessage(id: $id, text: "edited") { id text } }', variables: { id: prepared!.messageId } }),
    check: (data) => expect(data.editMessage.text).toBe('edited') },
  { field: 'deleteMessage', kind: 'mutation', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'mutation D($id: ID!) { deleteMessage(id: $id) { id deleted } }', variables: { id: prepared!.messageId } }),
    check: (data) => expect(data.deleteMessage.deleted).toBe(true) },
  { field: 'markConversationRead', kind: 'mutation', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'mutation R($id: ID!) { markConversationRead(conversationId: $id) { unreadCount } }', variables: { id: prepared!.conversationId } }),
    check: (data) => expect(data.markConversationRead.unreadCount).toBe(0) },
  { field: 'setTyping', kind: 'mutation', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'mutation T($id: ID!) { setTyping(conversationId: $id) }', variables: { id: prepared!.conversationId } }) },
  { field: 'reportMessage', kind: 'mutation', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'mutation R($id: ID!) { reportMessage(messageId: $id, reason: "matrix") }', variables: { id: prepared!.theirMessageId } }) },
  // Blocking someone needs no conversation (it also keeps them from starting one).
  { field: 'blockUser', kind: 'mutation', owned: false, allowed: SIGNED_IN,
    build: ({ subject }) => ({ query: 'mutation B($id: ID!) { blockUser(userId: $id) }', variables: { id: subject.id } }) },
  { field: 'unblockUser', kind: 'mutation', owned: false, allowed: SIGNED_IN,
    build: ({ subject }) => ({ query: 'mutation U($id: ID!) { unblockUser(userId: $id) }', variables: { id: subject.id } }) },
  { field: 'reportActivity', kind: 'mutation', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'mutation { reportActivity { status } }' }) },
  // Recordings: your own consent; a lesson's recording and insights for its participants (admins see and delete, for abuse).
  { field: 'myRecordingConsent', kind: 'query', owned: false, allowed: SIGNED_IN,
    build: () => ({ query: '{ myRecordingConsent { standing lesson } }' }),
    check: (data) => expect(data.myRecordingConsent).toEqual({ standing: false, lesson: false }) },
  { field: 'setRecordingConsent', kind: 'mutation', owned: true, allowed: ['owner'], setup: lessonOfSubject,
    build: ({ prepared }) => ({ query: 'mutation C($id: ID) { setRecordingConsent(lessonId: $id, granted: true) { lesson } }', variables: { id: prepared!.lessonId } }),
    check: (data) => expect(data.setRecordingConsent.lesson).toBe(true) },
  { field: 'attachLessonRecording', kind: 'mutation', owned: true, allowed: ['owner'], setup: recordableLessonOfSubject(false),
    build: ({ prepared }) => ({ query: 'mutation A($l: ID!, $m: ID!) { attachLessonRecording(lessonId: $l, mediaId: $m) { state } }', variables: { l: prepared!.lessonId, m: prepared!.mediaId } }),
    check: (data) => expect(data.attachLessonRecording.state).toBe('TRANSCRIBING') },
  { field: 'deleteLessonRecording', kind: 'mutation', owned: true, allowed: ['admin', 'owner'], setup: recordableLessonOfSubject(true),
    build: ({ prepared }) => ({ query: 'mutation D($l: ID!) { deleteLessonRecording(lessonId: $l) }', variables: { l: prepared!.lessonId } }),
    check: (data) => expect(data.deleteLessonRecording).toBe(true) },
  { field: 'lessonRecording', kind: 'query', owned: true, allowed: ['admin', 'owner'], setup: recordableLessonOfSubject(true),
    build: ({ prepared }) => ({ query: 'query R($l: ID!) { lessonRecording(lessonId: $l) { lessonId } }', variables: { l: prepared!.lessonId } }),
    check: (data, { prepared }) => expect(data.lessonRecording).toEqual({ lessonId: prepared!.lessonId }) },
  { field: 'practiceAssignments', kind: 'query', owned: false, allowed: SIGNED_IN,
    build: () => ({ query: '{ practiceAssignments { edges { node { text done } } } }' }),
    check: (data) => expect(data.practiceAssignments.edges).toEqual([]) },
  { field: 'setPracticeAssignmentDone', kind: 'mutation', owned: true, allowed: ['owner'], setup: analysedLessonOfSubject,
    build: ({ prepared }) => ({ query: 'mutation T($l: ID!) { setPracticeAssignmentDone(lessonId: $l, index: 0, done: true) { done } }', variables: { l: prepared!.lessonId } }),
    check: (data) => expect(data.setPracticeAssignmentDone).toEqual({ done: true }) },
  // Progress across lessons: a teacher sees lessons with the student, the student all; anyone else an empty list.
  { field: 'studentProgress', kind: 'query', owned: true, allowed: SIGNED_IN,
    build: ({ subject }) => ({ query: 'query P($s: ID!) { studentProgress(studentId: $s) { edges { node { lessonId } } } }', variables: { s: subject.id } }),
    check: (data) => expect(data.studentProgress.edges).toEqual([]) },
  // No recording yet: null for those who may see it.
  { field: 'lessonInsights', kind: 'query', owned: true, allowed: ['admin', 'owner'], setup: lessonOfSubject,
    build: ({ prepared }) => ({ query: 'query I($l: ID!) { lessonInsights(lessonId: $l) { summary } }', variables: { l: prepared!.lessonId } }),
    check: (data) => expect(data.lessonInsights).toBeNull() },

  // ── Subscriptions (graphql-ws) ─────────────────────────────────────────────────────────────
  { field: 'accountEvents', kind: 'subscription', owned: true, allowed: SIGNED_IN,
    build: () => ({ query: 'subscription { accountEvents { type at } }' }),
    trigger: ({ caller }) => caller!.gql.ok(UPDATE_ME, { input: { displayName: 'Triggers PROFILE_UPDATED' } }),
    check: (data) => expect(data).toEqual({ accountEvents: { type: 'PROFILE_UPDATED', at: expect.any(String) } }) },
  { field: 'notificationAdded', kind: 'subscription', owned: true, allowed: SIGNED_IN, setup: bookableTeacher,
    build: () => ({ query: 'subscription { notificationAdded { kind lessonId } }' }),
    // The caller books, the teacher confirms: the caller's list gets "lesson-confirmed".
    trigger: async ({ caller, prepared }) => {
      const lesson = (await caller!.gql.ok(REQUEST_LESSON, requestInput(prepared!.teacherId))).requestLesson;
      await prepared!.teacher.gql.ok('mutation C($id: ID!) { confirmLesson(id: $id) { id } }', { id: lesson.id });
    },
    check: (data) => expect(data.notificationAdded.kind).toBe('lesson-confirmed') },
  { field: 'lessonUpdated', kind: 'subscription', owned: true, allowed: SIGNED_IN, setup: bookableTeacher,
    build: () => ({ query: 'subscription { lessonUpdated { id status } }' }),
    trigger: ({ caller, prepared }) => caller!.gql.ok(REQUEST_LESSON, requestInput(prepared!.teacherId)),
    check: (data) => expect(data.lessonUpdated.status).toBe('PENDING') },
  // Chat: your own conversations' events; typing of a conversation you are in; presence of the people you talk to.
  { field: 'messageEvents', kind: 'subscription', owned: true, allowed: SIGNED_IN, setup: (t) => teacherToTalkTo(t).then((teacher) => ({ teacher })),
    build: () => ({ query: 'subscription { messageEvents { type message { text } } }' }),
    trigger: ({ caller, prepared }) => send(caller!, { toUserId: prepared!.teacher.id, text: 'event' }),
    check: (data) => expect(data.messageEvents).toEqual({ type: 'ADDED', message: { text: 'event' } }) },
  { field: 'typing', kind: 'subscription', owned: true, allowed: ['owner'], setup: conversationOfSubject,
    build: ({ prepared }) => ({ query: 'subscription T($id: ID!) { typing(conversationId: $id) { userId typing } }', variables: { id: prepared!.conversationId } }),
    trigger: ({ prepared }) => prepared!.teacher.gql.ok('mutation T($id: ID!) { setTyping(conversationId: $id) }', { id: prepared!.conversationId }),
    check: (data, { prepared }) => expect(data.typing).toEqual({ userId: prepared!.teacher.id, typing: true }) },
  { field: 'presenceChanged', kind: 'subscription', owned: true, allowed: SIGNED_IN,
    // A teacher of this row's own: another row's brief socket cannot send a late OFFLINE here.
    setup: async (t, { caller }) => {
      const teacher = await createTeacher(t);
      if (caller) await send(caller, { toUserId: teacher.id, text: 'so we are related' });
      return { teacher, t };
    },
    build: () => ({ query: 'subscription { presenceChanged { userId status } }' }),
    trigger: ({ prepared }) => connectBriefly(prepared!.t, prepared!.teacher),
    // The trigger is a socket opening and closing, repeated until the subscription is live (graphql-ws
    // acknowledges none): the first event seen may be either half. Their order is chat-realtime's test.
    check: (data, { prepared }) =>
      expect(data.presenceChanged).toEqual({ userId: prepared!.teacher.id, status: expect.stringMatching(/^(ONLINE|OFFLINE)$/) }) },
  { field: 'lessonInsightsUpdated', kind: 'subscription', owned: true, allowed: SIGNED_IN, setup: recordableLessonOfCaller,
    build: () => ({ query: 'subscription { lessonInsightsUpdated { lessonId state } }' }),
    trigger: attachAnotherRecording,
    check: (data, { prepared }) => expect(data.lessonInsightsUpdated).toEqual({ lessonId: prepared!.lessonId, state: 'TRANSCRIBING' }) },
];

const ROLE_OF: Record<Exclude<Caller, 'anonymous'>, 'STUDENT' | 'TEACHER' | 'ADMIN'> = {
  student: 'STUDENT',
  teacher: 'TEACHER',
  admin: 'ADMIN',
  owner: 'STUDENT',
};

let counter = 0;
function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${process.pid}-${counter++}`;
}

const AUTH_CODES = ['UNAUTHENTICATED', 'FORBIDDEN'];

function codesOf(errors: GraphQLResponse['errors'] | readonly unknown[] | undefined): unknown[] {
  return (errors ?? []).map((e: any) => e?.extensions?.code);
}

/** The callers checked for a row, each with the verdict the table gives. */
function callersFor(row: Row): Array<[Caller, 'allowed' | 'denied']> {
  return EVERYONE.filter((caller) => caller !== 'owner' || row.owned).map((caller) => [
    caller,
    row.allowed.includes(caller) ? 'allowed' : 'denied',
  ]);
}

describe('authorization matrix', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      config: {
        AUTH_RATE_LIMIT_PER_IP: '1000',
        AUTH_RATE_LIMIT_PER_ACCOUNT: '1000',
        CHAT_SEND_RATE_LIMIT: '1000',
        // A socket closing takes its user offline at once, so each presence trigger is a change.
        PRESENCE_GRACE_SECONDS: '0',
      },
    });
  });
  afterAll(async () => t?.close());

  async function fixtureFor(caller: Caller): Promise<Fixture> {
    if (caller === 'owner') {
      const self = await createAccount(t, ROLE_OF.owner);
      return { caller: self, subject: self };
    }
    const [account, subject] = await Promise.all([
      caller === 'anonymous' ? Promise.resolve(null) : createAccount(t, ROLE_OF[caller]),
      createAccount(t, 'STUDENT'),
    ]);
    return { caller: account, subject };
  }

  describe('covers the schema', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8'));
    const rootTypes: Record<Kind, GraphQLObjectType | null | undefined> = {
      query: schema.getQueryType(),
      mutation: schema.getMutationType(),
      subscription: schema.getSubscriptionType(),
    };
    const inSchema = (Object.keys(rootTypes) as Kind[]).flatMap((kind) =>
      Object.keys(rootTypes[kind]?.getFields() ?? {}).map((field) => `${kind} ${field}`),
    );
    const inTable = MATRIX.map((row) => `${row.kind} ${row.field}`);

    it('every Query, Mutation and Subscription field of schema.gql has a row', () => {
      const missingFromTable = inSchema.filter((op) => !inTable.includes(op));
      expect(missingFromTable).toEqual([]);
    });

    it('every row names a field that still exists, once', () => {
      const notInSchema = inTable.filter((op) => !inSchema.includes(op));
      expect(notInSchema).toEqual([]);
      const duplicates = inTable.filter((op, i) => inTable.indexOf(op) !== i);
      expect(duplicates).toEqual([]);
    });
  });

  describe.each(MATRIX.map((row) => [`${row.kind} ${row.field}`, row] as const))('%s', (_name, row) => {
    it.each(callersFor(row))('%s: %s', async (caller, verdict) => {
      const fx = await fixtureFor(caller);
      try {
        if (row.setup) fx.prepared = await row.setup(t, fx);
        if (row.kind === 'subscription') await expectSubscription(t, row, fx, caller, verdict);
        else await expectHttp(t, row, fx, caller, verdict);
      } finally {
        // A setup may move the clock (to a lesson that has started): every test starts at real time.
        t.clock.reset();
      }
    });
  });
});

async function expectHttp(
  t: TestApp,
  row: Row,
  fx: Fixture,
  caller: Caller,
  verdict: 'allowed' | 'denied',
): Promise<void> {
  const { query, variables } = row.build(fx);
  const res = await (fx.caller ? fx.caller.gql : t.gql).request(query, variables);
  if (verdict === 'allowed') {
    expect(codesOf(res.errors).filter((c) => AUTH_CODES.includes(c as string))).toEqual([]);
    expect(res.errors).toBeUndefined();
    expect(res.data?.[row.field]).toBeDefined();
    row.check?.(res.data!, fx, caller);
  } else {
    expect(codesOf(res.errors)).toEqual([caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
    // A nullable root field (a lookup such as lesson) is null beside the error; a non-null one nulls data.
    expect(res.data?.[row.field] ?? null).toBeNull();
  }
}

/**
 * Subscribes over graphql-ws with the caller's token in connectionParams (none when anonymous).
 * Allowed: the subscription is accepted, shown by receiving the event that `row.trigger` causes.
 * Denied: the first message is an error with the expected code.
 */
async function expectSubscription(
  t: TestApp,
  row: Row,
  fx: Fixture,
  caller: Caller,
  verdict: 'allowed' | 'denied',
): Promise<void> {
  const client = createClient({
    url: `${t.baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: fx.caller ? { authorization: `Bearer ${fx.caller.accessToken}` } : undefined,
  });
  try {
    const first = firstMessage(client, row.build(fx));
    let outcome: FirstMessage;
    if (verdict === 'allowed') {
      // graphql-ws acknowledges no single subscription, so trigger until the first event arrives.
      let settled = false;
      void first.finally(() => (settled = true));
      const deadline = Date.now() + 10_000;
      while (!settled && Date.now() < deadline) {
        await row.trigger!(fx);
        await Promise.race([first, sleep(250)]);
      }
      outcome = settled ? await first : { kind: 'timeout' };
      if (outcome.kind !== 'timeout')
        expect(codesOf(outcome.errors).filter((c) => AUTH_CODES.includes(c as string))).toEqual([]);
      expect(outcome).toMatchObject({ kind: 'next', errors: undefined });
      row.check?.((outcome as { data: Record<string, any> }).data, fx, caller);
    } else {
      outcome = await Promise.race([first, sleep(5_000).then((): FirstMessage => ({ kind: 'timeout' }))]);
      expect(outcome.kind).not.toBe('timeout');
      expect(outcome.kind === 'next' ? (outcome.data ?? null) : null).toBeNull();
      expect(codesOf(outcome.errors)).toEqual([caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
    }
  } finally {
    await client.dispose();
  }
}

type FirstMessage =
  | { kind: 'next'; data?: Record<string, any> | null; errors?: readonly unknown[] }
  | { kind: 'error'; errors: readonly unknown[]; raw: unknown }
  | { kind: 'complete'; errors?: undefined }
  | { kind: 'timeout'; errors?: undefined };

/** The first thing the server sends for one subscription: a result, an error (GraphQL errors or a closed socket) or completion. */
function firstMessage(client: Client, { query, variables }: Operation): Promise<FirstMessage> {
  return new Promise((resolve) => {
    const unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (result) => {
          resolve({ kind: 'next', data: result.data as Record<string, any> | null | undefined, errors: result.errors });
          unsubscribe();
        },
        error: (err) => resolve({ kind: 'error', errors: Array.isArray(err) ? err : [], raw: err }),
        complete: () => resolve({ kind: 'complete' }),
      },
    );
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
