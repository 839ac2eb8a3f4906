import { registerEnumType } from '@nestjs/graphql';
import { LessonFormat } from '../teachers/teacher-scheduling';

export enum LessonStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
  COMPLETED = 'COMPLETED',
  NO_SHOW = 'NO_SHOW',
}
registerEnumType(LessonStatus, {
  name: 'LessonStatus',
  description: "Where a lesson is in its life. PENDING and CONFIRMED hold the teacher's time; the others are final.",
  valuesMap: {
    PENDING: { description: 'Requested; holds the slot until the teacher confirms or declines, or it expires.' },
    CONFIRMED: { description: 'Accepted by the teacher.' },
    DECLINED: { description: 'Turned down by the teacher.' },
    CANCELLED: { description: 'Cancelled by either side before the start.' },
    EXPIRED: { description: 'The teacher did not answer a request in time.' },
    COMPLETED: { description: 'Took place (marked by the teacher after the end).' },
    NO_SHOW: { description: 'The student did not come (marked by the teacher after the end).' },
  },
});

export enum LessonAction {
  REQUEST = 'REQUEST',
  CONFIRM = 'CONFIRM',
  DECLINE = 'DECLINE',
  CANCEL = 'CANCEL',
  RESCHEDULE = 'RESCHEDULE',
  COMPLETE = 'COMPLETE',
  MARK_NO_SHOW = 'MARK_NO_SHOW',
  EXPIRE = 'EXPIRE',
  /** The teacher set or cleared the lesson's own meeting link (the status does not change). */
  SET_MEETING_URL = 'SET_MEETING_URL',
}
registerEnumType(LessonAction, {
  name: 'LessonAction',
  description: 'A change of a lesson, as recorded in its history.',
  valuesMap: {
    REQUEST: { description: 'The student asked for the lesson.' },
    CONFIRM: { description: 'The teacher accepted it.' },
    DECLINE: { description: 'The teacher turned it down.' },
    CANCEL: { description: 'A participant cancelled it.' },
    RESCHEDULE: { description: 'A participant moved it to another start.' },
    COMPLETE: { description: 'The teacher marked it as taken place.' },
    MARK_NO_SHOW: { description: 'The teacher marked the student as absent.' },
    EXPIRE: { description: 'The system expired an unanswered request.' },
    SET_MEETING_URL: { description: "The teacher set or cleared the lesson's own meeting link." },
  },
});

export interface HistoryEntry {
  action: LessonAction;
  /** User id, or 'system' for expiry. */
  by: string;
  at: string;
  from: LessonStatus | null;
  to: LessonStatus;
  reason?: string;
  /** For RESCHEDULE: the start before the move. */
  previousStart?: string;
}

export interface Cancellation {
  by: string;
  reason: string;
  late: boolean;
  /** Fee recorded for a late cancellation by the student (0 when the teacher cancels). */
  feePercent: number;
}

/**
 * A move by the student of a CONFIRMED lesson inside its cancellation notice. The move is allowed,
 * but the student stays liable for the late fee of the lesson as it stood then: a later
 * cancellation by the student charges it, however far ahead the new time is.
 */
export interface LateChange {
  by: string;
  at: string;
  /** The start the lesson had (inside the notice) when the student moved it. */
  previousStart: string;
  feePercent: number;
}

/** A lesson as stored (BOOKING#id / BOOKING). Instants are ISO-8601 UTC strings. */
export interface Lesson {
  id: string;
  teacherId: string;
  studentId: string;
  start: string;
  end: string;
  durationMinutes: number;
  format: LessonFormat;
  note?: string;
  /** STUDENT_HOME: where the teacher goes, as the student gave it when requesting. */
  studentAddress?: string;
  /** ONLINE: the link the teacher set for this lesson (else the teacher's default applies). */
  meetingUrl?: string;
  status: LessonStatus;
  priceMinor: number;
  currency: string;
  /** Granule starts (ISO) of the lock items this lesson holds while active. */
  locks: string[];
  /** The teacher's buffer when the slot was taken (locks cover end + buffer). */
  bufferMinutes: number;
  teacherTimeZone: string;
  /** The cancellation terms agreed when the lesson was requested. */
  cancellationNoticeHours: number;
  lateCancellationFeePercent: number;
  history: HistoryEntry[];
  cancellation?: Cancellation;
  /** Set by the first late move by the student; kept for the record once settled. */
  lateChange?: LateChange;
  seriesId?: string;
  pendingExpiresAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
