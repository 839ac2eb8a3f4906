/**
 * How a lesson appears in calendars, shared by every producer of iCalendar data (the subscribed
 * feed of the bookings feature and the invitations attached to lesson e-mails): one UID for the
 * life of the lesson and a SEQUENCE that rises with each change, so a calendar app updates (or
 * removes) the event it already has instead of adding another.
 */
export function lessonCalendarUid(lessonId: string): string {
  return `lesson-${lessonId}@takesessions`;
}

/** The lesson's version: it rises with every lifecycle change, as RFC 5545 asks of SEQUENCE. */
export function lessonCalendarSequence(version: number): number {
  return version;
}
