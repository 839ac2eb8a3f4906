import { ulid } from 'ulid';
import { createAccount, TestAccount } from './accounts';
import type { TestApp } from './test-app';

export interface TeacherSetup {
  timeZone?: string;
  offerings?: Array<{ durationMinutes: number; amountMinor: number; currency: string }>;
  policies?: Partial<{
    minNoticeHours: number;
    maxAdvanceDays: number;
    bufferMinutes: number;
    cancellationNoticeHours: number;
    lateCancellationFeePercent: number;
  }>;
  formats?: string[];
  /** Further profile fields (location, defaultMeetingUrl, studioAddress, ...). */
  profile?: Record<string, unknown>;
  /** Weekly windows in the teacher's zone; default every day 00:00-24:00. */
  weekly?: Array<{ weekday: string; start: string; end: string }>;
}

export const EVERY_DAY = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** A TEACHER account with a published profile and weekly availability, made through the public API. */
export async function createTeacher(t: TestApp, setup: TeacherSetup = {}): Promise<TestAccount> {
  const timeZone = setup.timeZone ?? 'UTC';
  const teacher = await createAccount(t, 'TEACHER', { timeZone });
  await teacher.gql.ok(
    `mutation($input: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $input) { id } }`,
    {
      input: {
        slug: `t-${ulid().toLowerCase()}`,
        headline: 'Piano lessons for every level',
        instruments: [{ name: 'Piano', levels: ['BEGINNER', 'INTERMEDIATE', 'ADVANCED'] }],
        formats: setup.formats ?? ['ONLINE'],
        timeZone,
        offerings: setup.offerings ?? [
          { durationMinutes: 30, amountMinor: 2500, currency: 'EUR' },
          { durationMinutes: 60, amountMinor: 4500, currency: 'EUR' },
          { durationMinutes: 90, amountMinor: 6500, currency: 'EUR' },
        ],
        policies: {
          minNoticeHours: 0,
          maxAdvanceDays: 365,
          bufferMinutes: 0,
          cancellationNoticeHours: 24,
          lateCancellationFeePercent: 50,
          ...setup.policies,
        },
        ...setup.profile,
      },
    },
  );
  await teacher.gql.ok('mutation { publishMyTeacherProfile { id } }');
  const weekly = setup.weekly ?? EVERY_DAY.map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  await teacher.gql.ok(`mutation($w: [AvailabilityWindowInput!]!) { setWeeklyAvailability(windows: $w) { weekday } }`, {
    w: weekly,
  });
  return teacher;
}

export const LESSON_FIELDS = `id teacherId studentId start end teacherLocalStart durationMinutes format status note seriesId pendingExpiresAt
  price { amountMinor currency } cancellation { by reason late feePercent } history { action by from to reason previousStart }`;

export const REQUEST_LESSON = `mutation($input: RequestLessonInput!, $key: String) { requestLesson(input: $input, idempotencyKey: $key) { ${LESSON_FIELDS} } }`;

/** The next start on the hour at least `hoursAhead` from now (UTC grid). */
export function hoursFromNow(hoursAhead: number, base = Date.now()): Date {
  const t = new Date(base + hoursAhead * 3_600_000);
  t.setUTCMinutes(0, 0, 0);
  return new Date(t.getTime() + 3_600_000);
}
