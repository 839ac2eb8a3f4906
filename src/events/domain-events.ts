/**
 * The domain events: what happened, as plain data, named `<aggregate>.<fact>`. This map is the
 * contract between the feature that emits an event and the features that react to it (payloads
 * carry what consumers need without reading the emitter's storage). Features that add events
 * extend `DomainEventMap` by declaration merging, as auth extends the GraphQL context.
 */

/** A lesson after a lifecycle change (see src/bookings/lesson-state-machine.ts). */
export interface LessonEventPayload {
  lessonId: string;
  teacherId: string;
  studentId: string;
  status: string;
  previousStatus: string | null;
  start: string;
  end: string;
  /** Set on `lesson.rescheduled`: where the lesson was before. */
  previousStart?: string;
  durationMinutes: number;
  format: string;
  /** The student's note to the teacher, if any. */
  note?: string;
  priceMinor: number;
  currency: string;
  teacherTimeZone: string;
  /** Who caused it: a user id, or 'system' (expiry). */
  by: string;
  cancellation?: { by: string; late: boolean; feePercent: number; reason: string | null };
  seriesId?: string;
  /** The lesson's version after the change: consumers can drop stale deliveries. */
  version: number;
}

export interface DomainEventMap {
  'account.suspended': { userId: string };
  'account.reinstated': { userId: string };
  'account.deleted': { userId: string };
  'user.renamed': { userId: string; displayName: string };
  /** A verification link was issued (sign-up, resend, new address); the token itself is never stored. */
  'account.verification_requested': { userId: string; email: string; tokenId: string; expiresAt: string };
  'account.email_verified': { userId: string; email: string };
  'account.password_reset_requested': { userId: string; email: string; tokenId: string; expiresAt: string };
  'account.password_changed': { userId: string; via: 'CHANGE' | 'RESET' };
  /** The account moved to `email`; the notice goes to `previousEmail`. */
  'account.email_changed': { userId: string; previousEmail: string; email: string };
  'lesson.requested': LessonEventPayload;
  'lesson.confirmed': LessonEventPayload;
  'lesson.declined': LessonEventPayload;
  'lesson.cancelled': LessonEventPayload;
  'lesson.rescheduled': LessonEventPayload;
  'lesson.expired': LessonEventPayload;
  'lesson.completed': LessonEventPayload;
  'lesson.no_show': LessonEventPayload;
  'lesson.meeting_url_changed': LessonEventPayload;
  'review.created': { reviewId: string; teacherId: string; studentId: string; lessonId: string; rating: number };
  'review.hidden': { reviewId: string; teacherId: string; rating: number };
  'review.unhidden': { reviewId: string; teacherId: string; rating: number };
  'profile.published': { teacherId: string };
  'profile.unpublished': { teacherId: string; reason: 'TEACHER' | 'ADMIN' | 'SUSPENSION' | 'ACCOUNT_DELETED' };
}

export type DomainEventName = keyof DomainEventMap;

/** One occurrence of an event. `id` is a ULID: unique, and ordered by time of recording. */
export interface DomainEvent<N extends DomainEventName = DomainEventName> {
  id: string;
  name: N;
  payload: DomainEventMap[N];
  occurredAt: string;
}

/** A durable consumer's reaction to an event; it must be idempotent (delivery is at least once). */
export type EventHandler<N extends DomainEventName = DomainEventName> = (event: DomainEvent<N>) => Promise<void>;
