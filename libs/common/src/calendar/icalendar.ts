import { DateTime } from 'luxon';

/**
 * A small RFC 5545 writer: escaped text, folded lines, UTC times or local times with a
 * VTIMEZONE built from the IANA rules (luxon), so clients show the event in the zone it was
 * written for and every client that understands iCalendar agrees on the instant.
 */
export interface ICalEvent {
  /** Stable for the life of the thing, so a client updates its copy instead of adding another. */
  uid: string;
  /** Must rise with every change; a client keeps the copy with the highest. */
  sequence: number;
  start: Date;
  end: Date;
  /** Write DTSTART/DTEND as local times of this IANA zone (with its VTIMEZONE); UTC when absent. */
  timeZone?: string;
  summary: string;
  description?: string;
  location?: string;
  /** An absolute URL, written as a URI, not as text. */
  url?: string;
  status: 'TENTATIVE' | 'CONFIRMED' | 'CANCELLED';
  /** DTSTAMP: when this version of the event was made. */
  stamp: Date;
  organizer?: { email: string; name?: string };
  attendees?: Array<{ email: string; name?: string }>;
}

export interface ICalendar {
  /** REQUEST or CANCEL for an invitation sent by mail (RFC 5546), PUBLISH for a feed. */
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  name?: string;
  events: ICalEvent[];
}

export function renderICalendar(calendar: ICalendar): string {
  const zones = [...new Set(calendar.events.map((e) => e.timeZone).filter((z): z is string => !!z))];
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Take Sessions//Lessons//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${calendar.method}`,
    ...(calendar.name ? [`X-WR-CALNAME:${escapeText(calendar.name)}`] : []),
    ...zones.flatMap((zone) => {
      const mine = calendar.events.filter((e) => e.timeZone === zone);
      const from = Math.min(...mine.map((e) => e.start.getTime()));
      const to = Math.max(...mine.map((e) => e.end.getTime()));
      return vtimezone(zone, from, to);
    }),
    ...calendar.events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utc(e.stamp)}`,
      `SEQUENCE:${e.sequence}`,
      dateProperty('DTSTART', e.start, e.timeZone),
      dateProperty('DTEND', e.end, e.timeZone),
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
      ...(e.url ? [`URL:${e.url.replace(/[\r\n]/g, '')}`] : []),
      ...(e.organizer ? [`ORGANIZER${cn(e.organizer.name)}:mailto:${e.organizer.email}`] : []),
      ...(e.attendees ?? []).map((a) => `ATTENDEE${cn(a.name)};ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:${a.email}`),
      `STATUS:${e.status}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** 20270329T080000Z */
export function utc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space. */
export function fold(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= 75) return line;
  const parts: string[] = [];
  let current = '';
  for (const ch of line) {
    if (Buffer.byteLength(current + ch, 'utf8') > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
    }
    current += ch;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function cn(name: string | undefined): string {
  // A parameter value with , ; or : must be quoted; a quote itself cannot appear in one.
  return name ? `;CN="${name.replace(/["\r\n]/g, '')}"` : '';
}

function dateProperty(name: string, at: Date, zone: string | undefined): string {
  if (!zone) return `${name}:${utc(at)}`;
  return `${name};TZID=${zone}:${DateTime.fromJSDate(at, { zone }).toFormat("yyyyMMdd'T'HHmmss")}`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The zone's rules around [from, to] as one observance per offset change (RFC 5545 allows
 * explicit onsets instead of RRULEs), from a year before to a year after: enough for any client
 * to place the event, and exact for zones whose rules changed in the past.
 */
export function vtimezone(zone: string, from: number, to: number): string[] {
  const start = from - 366 * DAY;
  const end = to + 366 * DAY;
  const offsetAt = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  const observances: Array<{ at: number; fromOffset: number; toOffset: number }> = [];
  let previous = offsetAt(start);
  observances.push({ at: start, fromOffset: previous, toOffset: previous });
  for (let t = start + DAY; t <= end + DAY; t += DAY) {
    const offset = offsetAt(t);
    if (offset === previous) continue;
    // The change happened within the last day: find its minute.
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(mid) === previous) lo = mid;
      else hi = mid;
    }
    observances.push({ at: hi, fromOffset: previous, toOffset: offset });
    previous = offset;
  }
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  for (const o of observances) {
    const local = DateTime.fromMillis(o.at, { zone: 'UTC' }).plus({ minutes: o.fromOffset });
    const instant = DateTime.fromMillis(o.at, { zone });
    const kind = instant.isInDST ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${local.toFormat("yyyyMMdd'T'HHmmss")}`,
      `TZOFFSETFROM:${offsetText(o.fromOffset)}`,
      `TZOFFSETTO:${offsetText(o.toOffset)}`,
      `TZNAME:${escapeText(instant.offsetNameShort ?? offsetText(o.toOffset))}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
