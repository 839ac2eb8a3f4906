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
registerEnumType(LessonStatus, { name: 'LessonStatus' });

export enum LessonAction {
  REQUEST = 'REQUEST',
  CONFIRM = 'CONFIRM',
  DECLINE = 'DECLINE',
  CANCEL = 'CANCEL',
  RESCHEDULE = 'RESCHEDULE',
  COMPLETE = 'COMPLETE',
  MARK_NO_SHOW = 'MARK_NO_SHOW',
  EXPIRE = 'EXPIRE',
}
registerEnumType(LessonAction, { name: 'LessonAction' });

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
  seriesId?: string;
  pendingExpiresAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
