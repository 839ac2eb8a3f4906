import type { ItemKey } from '@app/dynamo';
import type { Lesson } from './lesson.types';

/**
 * Key layout of the bookings items in the single table (see ARCHITECTURE.md). Only the bookings
 * repositories use these.
 */
export const teacherPartition = (teacherId: string) => `TEACHER#${teacherId}`;
export const studentPartition = (studentId: string) => `STUDENT#${studentId}`;

export const lessonKey = (id: string): ItemKey => ({ PK: `BOOKING#${id}`, SK: 'BOOKING' });
/** A lesson on GSI1 (its teacher's lessons) and GSI2 (its student's), by start time. */
export const lessonIndexKeys = (lesson: Pick<Lesson, 'id' | 'teacherId' | 'studentId' | 'start'>) => ({
  GSI1PK: teacherPartition(lesson.teacherId),
  GSI1SK: `${lesson.start}#${lesson.id}`,
  GSI2PK: studentPartition(lesson.studentId),
  GSI2SK: `${lesson.start}#${lesson.id}`,
});

/** One lock item per 15-minute granule of a lesson and its buffer, in the teacher's partition. */
export const lockSortKey = (granule: string) => `LOCK#${granule}`;
export const lockKey = (teacherId: string, granule: string): ItemKey => ({
  PK: teacherPartition(teacherId),
  SK: lockSortKey(granule),
});

/** Pending requests by expiry time, so the expiry job finds due ones with one Query. */
export const PENDING_PARTITION = 'PENDING';
export const pendingKey = (lesson: Pick<Lesson, 'id' | 'pendingExpiresAt'>): ItemKey => ({
  PK: PENDING_PARTITION,
  SK: `${lesson.pendingExpiresAt}#${lesson.id}`,
});

/** A teacher's weekly windows and date overrides. */
export const WEEKLY_SORT_KEY = 'AVAIL#WEEKLY';
export const overrideSortKey = (date: string) => `OVERRIDE#${date}`;

/** Secret calendar feed tokens: token → user, and the user's current token beside their account. */
export const feedTokenKey = (token: string): ItemKey => ({ PK: `CALFEED#${token}`, SK: 'CALFEED' });
export const feedOwnerKey = (userId: string): ItemKey => ({ PK: `USER#${userId}`, SK: 'CALFEED' });
