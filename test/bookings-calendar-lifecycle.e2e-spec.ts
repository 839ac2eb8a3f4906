import ICAL from 'ical.js';
import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';

const FEED = '{ calendarFeed { url } }';
const act = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { id status } }`;
const SET_LINK = `mutation($id: ID!, $url: String) { setLessonMeetingUrl(lessonId: $id, meetingUrl: $url) { id } }`;
const RESCHEDULE = `mutation($input: RescheduleLessonInput!) { rescheduleLesson(input: $input) { id status } }`;

const DEFAULT_LINK = 'https://meet.example.com/default-room';
const OWN_LINK = 'https://video.example.org/j/42?pwd=a;b,c';
const STUDIO = 'Kastanienallee 12; Hinterhaus, 2. OG\n10435 Berlin';
const LOCATION = { city: 'Berlin', region: 'Berlin', country: 'DE', latitude: 52.538411, longitude: 13.409744 };
const HOME = 'Flat 3, 1 Park Row; Leeds LS1 5HD';

interface FeedEvent {
  uid: string;
  status: string;
  sequence: number;
  start: string;
  end: string;
  summary: string;
  location: string | null;
  url: string | null;
  geo: number[] | null;
}

/** Parses a feed with a real iCalendar parser (ical.js), as a calendar client would. */
function parseFeed(body: string): Map<string, FeedEvent> {
  const calendar = new ICAL.Component(ICAL.parse(body));
  expect(calendar.name).toBe('vcalendar');
  expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  const events = new Map<string, FeedEvent>();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    expect(events.has(event.uid)).toBe(false); // one VEVENT per lesson
    events.set(event.uid, {
      uid: event.uid,
      status: vevent.getFirstPropertyValue('status') as string,
      sequence: event.sequence,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      summary: event.summary,
      location: event.location ?? null,
      url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
      geo: (vevent.getFirstPropertyValue('geo') as number[] | null) ?? null,
    });
  }
  return events;
}

/**
 * The calendar feed over a lesson's whole life (issue 8 item 11): lessons stay in the feed when
 * completed or cancelled, with a stable UID, a rising SEQUENCE and the right STATUS, and carry
 * where they happen. In-process with the test clock, so lessons can end and be completed.
 */
describe('calendar feed across the lifecycle', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  let stranger: TestAccount;
  const ids: Record<string, string> = {};
  const starts: Record<string, Date> = {};

  const feed = async (who: TestAccount) => {
    const { url } = (await who.gql.ok(FEED)).calendarFeed;
    const res = await fetch(`${t.baseUrl}${new URL(url).pathname}`);
    expect(res.status).toBe(200);
    return parseFeed(await res.text());
  };
  const uid = (name: string) => `lesson-${ids[name]}@takesessions`;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    teacher = await createTeacher(t, {
      formats: ['ONLINE', 'TEACHER_STUDIO', 'STUDENT_HOME'],
      profile: { location: LOCATION, defaultMeetingUrl: DEFAULT_LINK, studioAddress: STUDIO },
    });
    [student, stranger] = await Promise.all([createAccount(t, 'STUDENT'), createAccount(t, 'STUDENT')]);
    const book = async (name: string, hours: number, format: string, extra: Record<string, unknown> = {}) => {
      starts[name] = hoursFromNow(hours);
      ids[name] = (
        await student.gql.ok(REQUEST_LESSON, {
          input: { teacherId: teacher.id, start: starts[name].toISOString(), durationMinutes: 60, format, ...extra },
        })
      ).requestLesson.id;
    };
    await book('completed', 3, 'ONLINE');
    await book('cancelled', 30, 'STUDENT_HOME', { studentAddress: HOME });
    await book('studio', 40, 'TEACHER_STUDIO');
    await book('declined', 50, 'ONLINE');
    await book('ownLink', 60, 'ONLINE');
    await book('moved', 70, 'ONLINE');
    for (const name of ['completed', 'cancelled', 'studio', 'ownLink', 'moved'])
      await teacher.gql.ok(act('confirmLesson'), { id: ids[name] });
  }, 60_000);
  afterAll(async () => t?.close());

  it('lists every lesson with its status and where it happens, for the teacher and the student', async () => {
    for (const who of [teacher, student]) {
      const events = await feed(who);
      expect(events.get(uid('completed'))).toMatchObject({
        status: 'CONFIRMED',
        sequence: 2,
        start: starts.completed.toISOString(),
        end: new Date(starts.completed.getTime() + 3_600_000).toISOString(),
        location: DEFAULT_LINK,
        url: DEFAULT_LINK,
        geo: null,
      });
      // Still a request: the teacher's room reaches the student only once the teacher accepts.
      expect(events.get(uid('declined'))).toMatchObject({
        status: 'TENTATIVE',
        sequence: 1,
        url: who === teacher ? DEFAULT_LINK : null,
      });
      // The studio's exact address and position, and the student's home, go to both participants while booked.
      expect(events.get(uid('studio'))).toMatchObject({
        status: 'CONFIRMED',
        location: STUDIO,
        url: null,
        geo: [LOCATION.latitude, LOCATION.longitude],
      });
      expect(events.get(uid('cancelled'))).toMatchObject({ status: 'CONFIRMED', location: HOME, url: null, geo: null });
    }
    // Someone else's feed shows none of it.
    const theirs = await feed(stranger);
    expect(theirs.size).toBe(0);
  });

  it('keeps completed, cancelled, declined and moved lessons, each under its UID with a higher SEQUENCE', async () => {
    const before = { teacher: await feed(teacher), student: await feed(student) };

    await student.gql.ok(act('cancelLesson'), { id: ids.cancelled });
    await teacher.gql.ok(act('declineLesson'), { id: ids.declined });
    await teacher.gql.ok(SET_LINK, { id: ids.ownLink, url: OWN_LINK });
    const movedTo = new Date(starts.moved.getTime() + 24 * 3_600_000);
    await student.gql.ok(RESCHEDULE, { input: { lessonId: ids.moved, start: movedTo.toISOString() } });
    t.clock.advance(starts.completed.getTime() + 2 * 3_600_000 - t.clock.now().getTime());
    try {
      await teacher.gql.ok(act('completeLesson'), { id: ids.completed });

      for (const [who, account] of [
        ['teacher', teacher],
        ['student', student],
      ] as const) {
        const after = await feed(account);
        expect([...after.keys()].sort()).toEqual([...before[who].keys()].sort());
        for (const [key, event] of after) {
          const changed = key !== uid('studio');
          expect({ key, later: event.sequence > before[who].get(key)!.sequence }).toEqual({ key, later: changed });
        }
        expect(after.get(uid('completed'))).toMatchObject({ status: 'CONFIRMED', sequence: 3, url: DEFAULT_LINK });
        expect(after.get(uid('cancelled'))!.status).toBe('CANCELLED');
        expect(after.get(uid('declined'))!.status).toBe('CANCELLED');
        expect(after.get(uid('ownLink'))).toMatchObject({ status: 'CONFIRMED', url: OWN_LINK, location: OWN_LINK });
        expect(after.get(uid('moved'))).toMatchObject({
          status: 'TENTATIVE',
          start: movedTo.toISOString(),
          sequence: before[who].get(uid('moved'))!.sequence + 1,
        });
      }
      // Once a lesson is off, the other side's details leave the feed; each side keeps its own.
      expect((await feed(teacher)).get(uid('cancelled'))!.location).toBeNull();
      expect((await feed(student)).get(uid('cancelled'))!.location).toBe(HOME);
    } finally {
      t.clock.reset();
    }
  });
});
