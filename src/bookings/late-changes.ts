import type { Actor } from './lesson-state-machine';
import { Cancellation, LateChange, Lesson, LessonStatus } from './lesson.types';

/**
 * The late-fee rules. A fee protects the teacher's confirmed time: it is owed when the student
 * walks away from a CONFIRMED lesson inside its cancellation notice (the terms agreed when it was
 * requested), and only then. Lateness is judged against the lesson as it stood when the notice
 * window was entered: a move by the student inside the window does not reset the clock, it carries
 * the obligation along (`Lesson.lateChange`) to wherever the lesson goes.
 */

const HOUR_MS = 3_600_000;

/** Whether `now` lies inside the lesson's cancellation notice. */
export function insideNotice(lesson: Lesson, now: Date): boolean {
  return new Date(lesson.start).getTime() - now.getTime() < lesson.cancellationNoticeHours * HOUR_MS;
}

/**
 * The late change a move leaves on the lesson: the student moving a CONFIRMED lesson inside its
 * notice creates one; an obligation already carried stays as it was first recorded (moving again
 * neither clears nor renews it); anything else creates none.
 */
export function lateChangeAfterMove(lesson: Lesson, actor: Actor, by: string, now: Date): LateChange | undefined {
  if (lesson.lateChange) return lesson.lateChange;
  if (actor !== 'STUDENT' || lesson.status !== LessonStatus.CONFIRMED || !insideNotice(lesson, now)) return undefined;
  return { by, at: now.toISOString(), previousStart: lesson.start, feePercent: lesson.lateCancellationFeePercent };
}

/**
 * What a cancellation records. `late`: a CONFIRMED lesson cancelled inside its notice, or a
 * student cancelling a lesson that carries a late change. The fee is the student's alone: the
 * carried fee, or the lesson's late fee for a confirmed lesson inside the notice. Withdrawing a
 * request the teacher never accepted (PENDING without a late change) is free and not late; a
 * teacher cancelling owes the student nothing here.
 */
export function cancellationTerms(lesson: Lesson, actor: Actor, by: string, reason: string, now: Date): Cancellation {
  const confirmedInsideNotice = lesson.status === LessonStatus.CONFIRMED && insideNotice(lesson, now);
  const carried = actor === 'STUDENT' ? lesson.lateChange : undefined;
  const late = confirmedInsideNotice || carried !== undefined;
  let feePercent = 0;
  if (actor === 'STUDENT') {
    if (carried) feePercent = carried.feePercent;
    else if (confirmedInsideNotice) feePercent = lesson.lateCancellationFeePercent;
  }
  return { by, reason, late, feePercent };
}
