/** Signals of the reviews store that the service turns into the client's error. */

/** The lesson already has a review (the unique index on lessonId refused the insert). */
export class DuplicateReviewError extends Error {}
