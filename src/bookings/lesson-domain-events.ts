import type { DomainEventName, LessonEventPayload } from '../events/domain-events';
import { LessonAction, type Lesson } from './lesson.types';

/** The domain event each lifecycle action raises. */
export const EVENT_OF_ACTION: Record<LessonAction, Extract<DomainEventName, `lesson.${string}`>> = {
  [LessonAction.REQUEST]: 'lesson.requested',
  [LessonAction.CONFIRM]: 'lesson.confirmed',
  [LessonAction.DECLINE]: 'lesson.declined',
  [LessonAction.CANCEL]: 'lesson.cancelled',
  [LessonAction.RESCHEDULE]: 'lesson.rescheduled',
  [LessonAction.EXPIRE]: 'lesson.expired',
  [LessonAction.COMPLETE]: 'lesson.completed',
  [LessonAction.MARK_NO_SHOW]: 'lesson.no_show',
  [LessonAction.SET_MEETING_URL]: 'lesson.meeting_url_changed',
};

/** What consumers of lesson events learn: the lesson after its last change, as plain data. */
export function lessonEventPayload(lesson: Lesson): LessonEventPayload {
  const last = lesson.history[lesson.history.length - 1];
  return {
    lessonId: lesson.id,
    teacherId: lesson.teacherId,
    studentId: lesson.studentId,
    status: lesson.status,
    previousStatus: last.from,
    start: lesson.start,
    end: lesson.end,
    ...(last.previousStart ? { previousStart: last.previousStart } : {}),
    durationMinutes: lesson.durationMinutes,
    format: lesson.format,
    ...(lesson.note ? { note: lesson.note } : {}),
    priceMinor: lesson.priceMinor,
    currency: lesson.currency,
    teacherTimeZone: lesson.teacherTimeZone,
    by: last.by,
    ...(lesson.cancellation
      ? {
          cancellation: {
            by: lesson.cancellation.by,
            late: lesson.cancellation.late,
            feePercent: lesson.cancellation.feePercent,
            reason: lesson.cancellation.reason || null,
          },
        }
      : {}),
    ...(lesson.seriesId ? { seriesId: lesson.seriesId } : {}),
    version: lesson.version,
  };
}
