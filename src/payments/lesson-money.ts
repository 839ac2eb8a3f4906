import type { Lesson } from '../bookings/lesson.types';

/**
 * What a lesson's status means for its money, by the terms agreed with the lesson (see README
 * "Money flow"): still open (the hold or reservation stays), released (nothing owed), or charged a
 * percent of its price (100 for a lesson that took place; the late fee for a late cancellation by
 * the student, README "Late cancellations", and for a no-show).
 */
export type LessonMoney = { kind: 'open' } | { kind: 'release' } | { kind: 'charge'; percent: number };

export function lessonMoney(
  lesson: Pick<Lesson, 'status' | 'cancellation' | 'lateCancellationFeePercent'>,
): LessonMoney {
  switch (lesson.status) {
    case 'PENDING':
    case 'CONFIRMED':
      return { kind: 'open' };
    case 'COMPLETED':
      return { kind: 'charge', percent: 100 };
    case 'CANCELLED': {
      const percent = lesson.cancellation?.feePercent ?? 0;
      return percent > 0 ? { kind: 'charge', percent } : { kind: 'release' };
    }
    case 'NO_SHOW':
      return lesson.lateCancellationFeePercent > 0
        ? { kind: 'charge', percent: lesson.lateCancellationFeePercent }
        : { kind: 'release' };
    case 'DECLINED':
    case 'EXPIRED':
    default:
      return { kind: 'release' };
  }
}
