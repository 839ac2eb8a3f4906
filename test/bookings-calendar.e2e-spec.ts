import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { ulid } from 'ulid';
import { createDocumentClient } from '@app/dynamo';
import { createAccount, createTeacher, GraphQLClient, REQUEST_LESSON, TestAccount, TestApp } from '@app/testing';
import { exited, spawnServer, waitForOutput } from './server-process';

const FEED = '{ calendarFeed { url } }';
const ROTATE = 'mutation { rotateCalendarFeed { url } }';
const CONFIRM = `mutation($id: ID!) { confirmLesson(id: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelLesson(id: $id) { id status } }`;

const BERLIN = 'Europe/Berlin';
/** The next day Berlin changes its offset, at least two days away (Sunday 2027-03-28 when this was written). */
function nextOffsetChange(): DateTime {
  let day = DateTime.now().setZone(BERLIN).startOf('day').plus({ days: 2 });
  for (let i = 0; i < 400; i++, day = day.plus({ days: 1 })) {
    if (day.set({ hour: 12 }).offset !== day.minus({ days: 1 }).set({ hour: 12 }).offset) return day;
  }
  throw new Error('no offset change found');
}
/** D: the change day; `day(n)` its local date n days later; BEFORE/AFTER: Berlin's UTC offset in hours on D-1 and D. */
const D = nextOffsetChange();
const day = (n: number) => D.plus({ days: n }).toISODate()!;
const BEFORE = D.minus({ days: 1 }).set({ hour: 12 }).offset / 60;
const AFTER = D.set({ hour: 12 }).offset / 60;
const two = (n: number) => String(n).padStart(2, '0');
/** An instant written out by hand (date, UTC hour and minute), in ISO and in iCalendar form. */
const iso = (n: number, hour: number, minute = 0) => `${day(n)}T${two(hour)}:${two(minute)}:00.000Z`;
const ics = (n: number, hour: number, minute = 0) => `${day(n).replace(/-/g, '')}T${two(hour)}${two(minute)}00Z`;

/** A free loopback port, so PUBLIC_BASE_URL can name the server's real origin before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface IcsEvent {
  UID: string;
  DTSTART: string;
  DTEND: string;
  SUMMARY: string;
  DESCRIPTION?: string;
  STATUS: string;
  SEQUENCE: string;
}

const uid = (lesson: { id: string }) => `lesson-${lesson.id}@takesessions`;
/** 20270327T090000Z → 2027-03-27T09:00:00.000Z */
const icsToIso = (value: string) =>
  value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6.000Z');

/** Unfolds (RFC 5545 §3.1) and reads the VEVENTs of a feed (raw text, to check escaping). */
function eventsOf(body: string): IcsEvent[] {
  const lines = body.replace(/\r\n[ \t]/g, '').split('\r\n');
  const events: IcsEvent[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current as unknown as IcsEvent);
      current = null;
    } else if (current) {
      const i = line.indexOf(':');
      current[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return events;
}

/**
 * The secret iCalendar feed, against the real entry point run as its own process (so its JSON logs
 * on stdout can be searched for the secret), with PUBLIC_BASE_URL naming its real origin.
 */
describe('calendar feed', () => {
  let server: ReturnType<typeof spawnServer>;
  let store: { table: string; mongoUri: string };
  let baseUrl: string;
  let api: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  let otherTeacher: TestAccount;
  const lessons: Record<string, { id: string; start: string; end: string }> = {};
  const tokens = new Set<string>();
  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;
  // Multi-byte characters and TEXT specials, so folding and escaping have work to do.
  const TEACHER_NAME = 'Zoë Ångström-Müller, Klavier; Kammermusik & Liedbegleitung 🎹';
  const STUDENT_NAME = 'Jürgen Weiß';

  const feedUrl = async (who: TestAccount): Promise<string> => {
    const { url } = (await who.gql.ok(FEED)).calendarFeed;
    tokens.add(/\/calendar\/([^/]+)\.ics$/.exec(url)![1]);
    return url;
  };
  const get = (url: string) =>
    fetch(url).then(async (res) => ({
      status: res.status,
      type: res.headers.get('content-type'),
      etag: res.headers.get('etag'),
      body: await res.text(),
    }));

  beforeAll(async () => {
    const port = await freePort();
    const id = ulid().toLowerCase();
    baseUrl = `http://127.0.0.1:${port}`;
    store = { table: `cal-${id}`, mongoUri: process.env.MONGODB_URI!.replace(/\/[^/?]*(\?|$)/, `/cal-${id}$1`) };
    server = spawnServer({
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: baseUrl,
      BOOTSTRAP_RESOURCES: 'true',
      AUTH_RATE_LIMIT_PER_IP: '1000',
      DYNAMODB_TABLE: store.table,
      S3_BUCKET: `cal-${id}`,
      MONGODB_URI: store.mongoUri,
      DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT!,
      S3_ENDPOINT: process.env.S3_ENDPOINT!,
      REDIS_URL: process.env.REDIS_URL ?? '',
      // Sign-up mails reach the jest run's catcher, so the account helpers can confirm addresses.
      SMTP_URL: process.env.SMTP_URL ?? '',
      STRIPE_API_BASE: process.env.STRIPE_API_BASE ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    await waitForOutput(server, /ready at http:\/\/\S+/);
    // The account helpers only need a GraphQL client for this server.
    api = { gql: new GraphQLClient(baseUrl), baseUrl } as unknown as TestApp;

    teacher = await createTeacher(api, { timeZone: BERLIN });
    await teacher.gql.ok(`mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }`, {
      input: { displayName: TEACHER_NAME },
    });
    student = await createAccount(api, 'STUDENT', { displayName: STUDENT_NAME });
    otherTeacher = await createTeacher(api);

    const book = async (who: TestAccount, teacherId: string, start: string, durationMinutes: number, note?: string) =>
      (
        await who.gql.ok(REQUEST_LESSON, {
          input: { teacherId, start, durationMinutes, format: 'ONLINE', ...(note ? { note } : {}) },
        })
      ).requestLesson;
    // 10:00 local the day before the change and on the day (after the 02:00/03:00 switch): in
    // spring 2027 that is 09:00Z on Saturday 03-27 (CET, +01) and 08:00Z on Sunday 03-28 (CEST, +02).
    lessons.beforeDst = await book(
      student,
      teacher.id,
      iso(-1, 10 - BEFORE),
      60,
      'Bring: Czerny, op. 299; metronome\nand a pencil',
    );
    lessons.afterDst = await book(student, teacher.id, iso(0, 10 - AFTER), 90);
    lessons.pending = await book(student, teacher.id, iso(2, 8), 60);
    lessons.cancelled = await book(student, teacher.id, iso(3, 8), 60);
    lessons.declined = await book(student, teacher.id, iso(4, 8), 60);
    // The teacher also takes a lesson, as a student of another teacher.
    lessons.learning = await book(teacher, otherTeacher.id, iso(5, 15), 30);
    for (const l of [lessons.beforeDst, lessons.afterDst, lessons.cancelled])
      await teacher.gql.ok(CONFIRM, { id: l.id });
    await otherTeacher.gql.ok(CONFIRM, { id: lessons.learning.id });
    await student.gql.ok(CANCEL, { id: lessons.cancelled.id });
    await teacher.gql.ok(`mutation($id: ID!) { declineLesson(id: $id) { id } }`, { id: lessons.declined.id });
  }, 120_000);

  afterAll(async () => {
    if (!server) return;
    server.kill('SIGTERM');
    await exited(server);
    // The server's own table and database, as startTestApp's close() would.
    const dynamo = createDocumentClient({
      region: process.env.AWS_REGION ?? 'us-east-1',
      endpoint: process.env.DYNAMODB_ENDPOINT,
    });
    await dynamo.send(new DeleteTableCommand({ TableName: store.table })).catch(() => undefined);
    dynamo.destroy();
    const mongo = await mongoose.createConnection(store.mongoUri).asPromise();
    await mongo.dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  it('gives a stable secret URL under PUBLIC_BASE_URL; anonymous callers are refused', async () => {
    const url = await feedUrl(student);
    expect(url).toMatch(new RegExp(`^${baseUrl.replace(/\./g, '\\.')}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    expect(await feedUrl(student)).toBe(url);
    expect(await feedUrl(teacher)).not.toBe(url);
    expect(code(await api.gql.request(FEED))).toBe('UNAUTHENTICATED');
  });

  it("lists every lesson with its status, as teacher and as student, at their UTC instants across Berlin's DST change", async () => {
    // The API's view of the two lessons: 10:00 local on both days, an hour apart in UTC.
    const local = async (id: string) =>
      (await student.gql.ok(`query($id: ID!) { lesson(id: $id) { teacherLocalStart } }`, { id })).lesson
        .teacherLocalStart;
    expect(new Set([BEFORE, AFTER])).toEqual(new Set([1, 2])); // CET and CEST, one on each side
    expect(await local(lessons.beforeDst.id)).toBe(`${day(-1)}T10:00:00.000+0${BEFORE}:00`);
    expect(await local(lessons.afterDst.id)).toBe(`${day(0)}T10:00:00.000+0${AFTER}:00`);

    const studentFeed = await get(await feedUrl(student));
    expect(studentFeed.status).toBe(200);
    // Polling an unchanged feed with its ETag costs a 304 without the body.
    const unchanged = await fetch(await feedUrl(student), { headers: { 'if-none-match': studentFeed.etag! } });
    expect([unchanged.status, await unchanged.text()]).toEqual([304, '']);
    expect(studentFeed.type).toMatch(/^text\/calendar; ?charset=utf-8$/i);
    expect(studentFeed.body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(studentFeed.body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const studentEvents = eventsOf(studentFeed.body);
    // Requests are tentative; cancelled and declined lessons stay, marked CANCELLED, so subscribed
    // calendars remove their copies (a later SEQUENCE than the copy they had).
    expect(studentEvents.map((e) => [e.UID, e.DTSTART, e.DTEND, e.STATUS, e.SEQUENCE])).toEqual([
      [uid(lessons.beforeDst), ics(-1, 10 - BEFORE), ics(-1, 11 - BEFORE), 'CONFIRMED', '2'],
      [uid(lessons.afterDst), ics(0, 10 - AFTER), ics(0, 11 - AFTER, 30), 'CONFIRMED', '2'],
      [uid(lessons.pending), ics(2, 8), ics(2, 9), 'TENTATIVE', '1'],
      [uid(lessons.cancelled), ics(3, 8), ics(3, 9), 'CANCELLED', '3'],
      [uid(lessons.declined), ics(4, 8), ics(4, 9), 'CANCELLED', '2'],
    ]);
    // A real iCalendar parser reads the same feed.
    const parsed = new ICAL.Component(ICAL.parse(studentFeed.body)).getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return [e.uid, e.startDate.toJSDate().toISOString(), v.getFirstPropertyValue('status'), e.sequence];
    });
    expect(parsed).toEqual(studentEvents.map((e) => [e.UID, icsToIso(e.DTSTART), e.STATUS, Number(e.SEQUENCE)]));
    expect(parsed[0]).toEqual([uid(lessons.beforeDst), iso(-1, 10 - BEFORE), 'CONFIRMED', 2]);
    // Text is escaped (RFC 5545 §3.3.11) and names the other party.
    expect(studentEvents[0].SUMMARY).toBe(
      'Lesson with Zoë Ångström-Müller\\, Klavier\\; Kammermusik & Liedbegleitung 🎹',
    );
    expect(studentEvents[0].DESCRIPTION).toBe(
      '60-minute lesson online\\nBring: Czerny\\, op. 299\\; metronome\\nand a pencil',
    );
    expect(studentEvents[2].DESCRIPTION).toBe(
      "60-minute lesson online (requested\\, awaiting the teacher's confirmation)",
    );

    const teacherEvents = eventsOf((await get(await feedUrl(teacher))).body);
    expect(teacherEvents.map((e) => [e.UID, e.DTSTART, e.DTEND, e.STATUS])).toEqual([
      [uid(lessons.beforeDst), ics(-1, 10 - BEFORE), ics(-1, 11 - BEFORE), 'CONFIRMED'],
      [uid(lessons.afterDst), ics(0, 10 - AFTER), ics(0, 11 - AFTER, 30), 'CONFIRMED'],
      [uid(lessons.pending), ics(2, 8), ics(2, 9), 'TENTATIVE'],
      [uid(lessons.cancelled), ics(3, 8), ics(3, 9), 'CANCELLED'],
      [uid(lessons.declined), ics(4, 8), ics(4, 9), 'CANCELLED'],
      [uid(lessons.learning), ics(5, 15), ics(5, 15, 30), 'CONFIRMED'],
    ]);
    expect(teacherEvents[0].SUMMARY).toBe(`Lesson with ${STUDENT_NAME} (teaching)`);
    expect(teacherEvents[5].SUMMARY).toMatch(/^Lesson with TEACHER /);
    expect(teacherEvents[5].SUMMARY).not.toMatch(/teaching/);

    const otherEvents = eventsOf((await get(await feedUrl(otherTeacher))).body);
    expect(otherEvents.map((e) => e.UID)).toEqual([uid(lessons.learning)]);
    expect(otherEvents[0].SUMMARY).toMatch(/^Lesson with Zoë .* \(teaching\)$/);
  });

  it('writes CRLF lines of at most 75 octets, folding long ones without splitting a character', async () => {
    for (const who of [student, teacher, otherTeacher]) {
      const { body } = await get(await feedUrl(who));
      expect(body.endsWith('\r\n')).toBe(true);
      const lines = body.slice(0, -2).split('\r\n');
      expect(lines.filter((l) => l.includes('\n') || l.includes('\r'))).toEqual([]);
      expect(lines.map((l) => Buffer.byteLength(l, 'utf8')).filter((n) => n > 75)).toEqual([]);
      expect(lines.some((l) => l.startsWith(' '))).toBe(true); // something was folded (the long names)
      expect(body).not.toContain('\uFFFD');
    }
  });

  it('rotating makes the old URL 404 and the new one work; unknown tokens 404', async () => {
    const old = await feedUrl(student);
    const rotated = (await student.gql.ok(ROTATE)).rotateCalendarFeed.url;
    tokens.add(/\/calendar\/([^/]+)\.ics$/.exec(rotated)![1]);
    expect(rotated).not.toBe(old);
    expect(await feedUrl(student)).toBe(rotated);
    expect((await get(old)).status).toBe(404);
    const fresh = await get(rotated);
    expect(fresh.status).toBe(200);
    expect(eventsOf(fresh.body).map((e) => e.UID)).toEqual(
      [lessons.beforeDst, lessons.afterDst, lessons.pending, lessons.cancelled, lessons.declined].map(uid),
    );
    // Another user's feed is untouched by the rotation.
    expect((await get(await feedUrl(teacher))).status).toBe(200);

    for (const path of [
      `/calendar/${randomBytes(32).toString('base64url')}.ics`,
      '/calendar/not-a-token.ics',
      `/calendar/${/\/calendar\/([^/]+)\.ics$/.exec(rotated)![1]}`,
    ]) {
      const res = await get(`${baseUrl}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).not.toContain('BEGIN:VCALENDAR');
    }
  });

  it('keeps the secret out of the logs and the metrics labels', async () => {
    expect(tokens.size).toBeGreaterThanOrEqual(4);
    // Calendar requests were logged, with the path redacted...
    await new Promise((r) => setTimeout(r, 300));
    const logs = server.output();
    expect(logs).toMatch(/\/calendar\/\[redacted\]/);
    // ...and no token appears anywhere in the output.
    for (const token of tokens) expect(logs).not.toContain(token);

    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    const calendarSeries = metrics
      .split('\n')
      .filter((l) => l.startsWith('http_request_duration_seconds_count') && l.includes('/calendar/'));
    expect(calendarSeries.length).toBeGreaterThanOrEqual(2);
    for (const line of calendarSeries) expect(line).toMatch(/route="\/calendar\/:token"/);
    expect(calendarSeries.some((l) => l.includes('status_code="200"'))).toBe(true);
    expect(calendarSeries.some((l) => l.includes('status_code="404"'))).toBe(true);
    for (const token of tokens) expect(metrics).not.toContain(token);
  });
});
