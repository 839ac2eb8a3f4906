import { DateTime } from 'luxon';
import type { Lesson } from './lesson.types';
import type { LessonModel } from './models/lesson.model';

/**
 * The GraphQL view of a lesson. The local start (a time-zone conversion) and the history are
 * getters: graphql-js reads only the fields a query selects, so a list that does not ask for them
 * does not pay for them.
 */
export function presentLesson(lesson: Lesson): LessonModel {
  return {
    id: lesson.id,
    teacherId: lesson.teacherId,
    studentId: lesson.studentId,
    start: new Date(lesson.start),
    end: new Date(lesson.end),
    get teacherLocalStart() {
      return DateTime.fromISO(lesson.start, { zone: lesson.teacherTimeZone }).toISO()!;
    },
    teacherTimeZone: lesson.teacherTimeZone,
    durationMinutes: lesson.durationMinutes,
    format: lesson.format,
    note: lesson.note,
    status: lesson.status,
    price: { amountMinor: lesson.priceMinor, currency: lesson.currency },
    get history() {
      return lesson.history.map((h) => ({
        ...h,
        at: new Date(h.at),
        previousStart: h.previousStart ? new Date(h.previousStart) : undefined,
      }));
    },
    // Stored as '' when no reason was given; clients get null.
    cancellation: lesson.cancellation && { ...lesson.cancellation, reason: lesson.cancellation.reason || null },
    lateChange: lesson.lateChange && {
      ...lesson.lateChange,
      at: new Date(lesson.lateChange.at),
      previousStart: new Date(lesson.lateChange.previousStart),
    },
    seriesId: lesson.seriesId,
    pendingExpiresAt: lesson.pendingExpiresAt ? new Date(lesson.pendingExpiresAt) : undefined,
    createdAt: new Date(lesson.createdAt),
    updatedAt: new Date(lesson.updatedAt),
    stored: lesson,
  };
}
