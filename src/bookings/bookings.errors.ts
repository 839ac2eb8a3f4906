/** Signals of the bookings store that the services turn into the client's error. */

/** Why a lesson transaction was cancelled: a slot it needs is taken, or the lesson changed since it was read. */
export type WriteFailure = { kind: 'slot-taken' } | { kind: 'stale' };
export class LessonWriteFailed extends Error {
  constructor(readonly failure: WriteFailure) {
    super(failure.kind);
  }
}
