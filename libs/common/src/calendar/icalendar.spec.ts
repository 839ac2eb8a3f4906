import ICAL from 'ical.js';
import { lessonCalendarUid } from './lesson-calendar';
import { renderICalendar } from './icalendar';

/** What a calendar client makes of an invitation: the zone's rules come from the VTIMEZONE it carries. */
function parse(body: string) {
  const calendar = new ICAL.Component(ICAL.parse(body));
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  return { calendar, events };
}

describe('renderICalendar', () => {
  afterEach(() => ICAL.TimezoneService.reset());

  it.each([
    // After the EU spring-forward (2027-03-28): 10:00 in Berlin is 08:00 UTC.
    ['Europe/Berlin', '2027-03-29T08:00:00.000Z', '2027-03-29T10:00:00'],
    // Before it: 10:00 in Berlin is 09:00 UTC.
    ['Europe/Berlin', '2027-03-22T09:00:00.000Z', '2027-03-22T10:00:00'],
    // New York after its own change two weeks earlier (2027-03-14).
    ['America/New_York', '2027-03-16T20:00:00.000Z', '2027-03-16T16:00:00'],
    // A zone without daylight saving, and a half-hour offset.
    ['Asia/Kolkata', '2027-01-10T10:30:00.000Z', '2027-01-10T16:00:00'],
    ['UTC', '2027-07-01T12:00:00.000Z', '2027-07-01T12:00:00'],
  ])('writes %s local times that a real parser maps back to the same instant', (zone, start, local) => {
    const body = renderICalendar({
      method: 'REQUEST',
      events: [
        {
          uid: lessonCalendarUid('01TESTLESSON'),
          sequence: 3,
          start: new Date(start),
          end: new Date(Date.parse(start) + 3_600_000),
          timeZone: zone,
          summary: 'Lesson with Jonas; piano, "advanced"',
          status: 'CONFIRMED',
          stamp: new Date('2027-01-01T00:00:00Z'),
          organizer: { email: 'no-reply@takesessions.test', name: 'Take Sessions' },
          attendees: [{ email: 'jonas@example.test', name: 'Jonas' }],
        },
      ],
    });
    const { calendar, events } = parse(body);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const [event] = events;
    expect(event.uid).toBe('lesson-01TESTLESSON@takesessions');
    expect(event.sequence).toBe(3);
    expect(event.summary).toBe('Lesson with Jonas; piano, "advanced"');
    expect(event.startDate.zone.tzid).toBe(zone);
    expect(event.startDate.toString()).toBe(local);
    expect(event.startDate.toJSDate().toISOString()).toBe(start);
    expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(3_600_000);
    expect(body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });

  it('writes UTC times when no zone is given, and CANCEL invitations', () => {
    const body = renderICalendar({
      method: 'CANCEL',
      events: [
        {
          uid: 'x@takesessions',
          sequence: 4,
          start: new Date('2027-05-01T10:00:00Z'),
          end: new Date('2027-05-01T11:00:00Z'),
          summary: 'Cancelled',
          status: 'CANCELLED',
          stamp: new Date('2027-01-01T00:00:00Z'),
        },
      ],
    });
    expect(body).toContain('DTSTART:20270501T100000Z\r\n');
    expect(body).not.toContain('VTIMEZONE');
    const { calendar, events } = parse(body);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events[0].component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
