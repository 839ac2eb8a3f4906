import { ConflictError, ForbiddenError } from '@app/common';
import { LessonAction, LessonStatus } from './lesson.types';

export type Actor = 'TEACHER' | 'STUDENT' | 'SYSTEM';

interface Transition {
  from: readonly LessonStatus[];
  /** For RESCHEDULE the target depends on who moves the lesson; see `targetStatus`. */
  to: LessonStatus | null;
  actors: readonly Actor[];
  /** Leaving the active states frees the slot: its locks are deleted in the same transaction. */
  releasesSlot: boolean;
  /** COMPLETE and MARK_NO_SHOW only make sense once the lesson is over. */
  afterEnd?: boolean;
}

/** The one table of every legal move of a lesson. Anything not listed is CONFLICT. */
export const TRANSITIONS: Record<
  Exclude<LessonAction, LessonAction.REQUEST | LessonAction.SET_MEETING_URL>,
  Transition
> = {
  [LessonAction.CONFIRM]: {
    from: [LessonStatus.PENDING],
    to: LessonStatus.CONFIRMED,
    actors: ['TEACHER'],
    releasesSlot: false,
  },
  [LessonAction.DECLINE]: {
    from: [LessonStatus.PENDING],
    to: LessonStatus.DECLINED,
    actors: ['TEACHER'],
    releasesSlot: true,
  },
  [LessonAction.CANCEL]: {
    from: [LessonStatus.PENDING, LessonStatus.CONFIRMED],
    to: LessonStatus.CANCELLED,
    actors: ['TEACHER', 'STUDENT'],
    releasesSlot: true,
  },
  [LessonAction.RESCHEDULE]: {
    from: [LessonStatus.PENDING, LessonStatus.CONFIRMED],
    to: null,
    actors: ['TEACHER', 'STUDENT'],
    releasesSlot: false,
  },
  [LessonAction.COMPLETE]: {
    from: [LessonStatus.CONFIRMED],
    to: LessonStatus.COMPLETED,
    actors: ['TEACHER'],
    releasesSlot: true,
    afterEnd: true,
  },
  [LessonAction.MARK_NO_SHOW]: {
    from: [LessonStatus.CONFIRMED],
    to: LessonStatus.NO_SHOW,
    actors: ['TEACHER'],
    releasesSlot: true,
    afterEnd: true,
  },
  [LessonAction.EXPIRE]: {
    from: [LessonStatus.PENDING],
    to: LessonStatus.EXPIRED,
    actors: ['SYSTEM'],
    releasesSlot: true,
  },
};

export type TransitionAction = keyof typeof TRANSITIONS;

/**
 * Checks a move against the table and returns the target status. A student moving a confirmed
 * lesson sends it back to PENDING (the teacher must agree to the new time); a teacher's move
 * keeps the status.
 */
export function targetStatus(
  action: TransitionAction,
  current: LessonStatus,
  actor: Actor,
  now: Date,
  end: Date,
): LessonStatus {
  const t = TRANSITIONS[action];
  // Acting outside one's role is an authorization failure, whatever the status.
  if (!t.actors.includes(actor)) {
    throw new ForbiddenError(
      `Only the ${t.actors.map((a) => a.toLowerCase()).join(' or ')} may ${action.toLowerCase().replace(/_/g, ' ')} a lesson`,
    );
  }
  if (!t.from.includes(current)) {
    throw new ConflictError(`Cannot ${action.toLowerCase().replace(/_/g, ' ')} a ${current} lesson`, {
      reason: 'ILLEGAL_TRANSITION',
      currentStatus: current,
    });
  }
  if (t.afterEnd && now < end) {
    throw new ConflictError(`Cannot ${action.toLowerCase().replace(/_/g, ' ')} a lesson before it has ended`, {
      reason: 'LESSON_NOT_ENDED',
      currentStatus: current,
    });
  }
  if (t.to) return t.to;
  return actor === 'STUDENT' ? LessonStatus.PENDING : current;
}
