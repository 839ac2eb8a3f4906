import type { LessonEventPayload } from '../../events/domain-events';
import type { Lesson } from '../../bookings/lesson.types';

/** What a lesson mail needs to know of the lesson, as it was when the mail was decided on. */
export type LessonSnapshot = Pick<
  LessonEventPayload,
  | 'lessonId'
  | 'teacherId'
  | 'studentId'
  | 'status'
  | 'start'
  | 'end'
  | 'previousStart'
  | 'durationMinutes'
  | 'format'
  | 'note'
  | 'priceMinor'
  | 'currency'
  | 'by'
  | 'cancellation'
  | 'version'
>;

/**
 * The data of a queued mail, stored with it. It holds no secret: links with tokens are derived
 * when the mail is rendered, right before it is sent.
 */
export type MailData =
  | {
      kind: 'account';
      /** Where to send it when that is not the account's current address (the notice to an old address). */
      to?: string;
      /** The address the mail is about (the one a token proves). */
      email: string;
      tokenId?: string;
      expiresAt?: string;
      newEmail?: string;
      changedAt?: string;
    }
  | { kind: 'lesson'; lesson: LessonSnapshot; offset?: '24h' | '1h' }
  | {
      kind: 'credits';
      /** Unused credits of a package, and when they expire. */
      credits: number;
      expiresAt: string;
      /** The teacher the credits are with (the link books a lesson with them). */
      teacherId: string;
    };

export function snapshotOf(payload: LessonEventPayload): LessonSnapshot {
  const {
    lessonId,
    teacherId,
    studentId,
    status,
    start,
    end,
    durationMinutes,
    format,
    priceMinor,
    currency,
    by,
    version,
  } = payload;
  return {
    lessonId,
    teacherId,
    studentId,
    status,
    start,
    end,
    durationMinutes,
    format,
    priceMinor,
    currency,
    by,
    version,
    ...(payload.previousStart ? { previousStart: payload.previousStart } : {}),
    ...(payload.note ? { note: payload.note } : {}),
    ...(payload.cancellation ? { cancellation: payload.cancellation } : {}),
  };
}

/** A stored lesson (read for a reminder) in the same shape. */
export function snapshotOfLesson(lesson: Lesson): LessonSnapshot {
  return {
    lessonId: lesson.id,
    teacherId: lesson.teacherId,
    studentId: lesson.studentId,
    status: lesson.status,
    start: lesson.start,
    end: lesson.end,
    durationMinutes: lesson.durationMinutes,
    format: lesson.format,
    priceMinor: lesson.priceMinor,
    currency: lesson.currency,
    by: lesson.history[lesson.history.length - 1]?.by ?? 'system',
    version: lesson.version,
    ...(lesson.note ? { note: lesson.note } : {}),
  };
}
