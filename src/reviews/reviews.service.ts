import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { Clock, ConflictError, decodeAfter, encodeCursor, ForbiddenError, NotFoundError } from '@app/common';
import { LessonQueriesService } from '../bookings/lesson-queries.service';
import { DomainEvents } from '../events/domain-events.service';
import { LessonStatus } from '../bookings/lesson.types';
import type { RequestLoaders } from '../graphql/request-loaders';
import { TeachersService } from '../teachers/teachers.service';
import type { Viewer } from '../auth/viewer';
import { CreateReviewInput } from './dto/review.inputs';
import { Review } from './review.schema';
import { DuplicateReviewError } from './reviews.errors';
import { ReviewsRepository } from './reviews.repository';

export interface ReviewPage {
  reviews: Review[];
  hasNextPage: boolean;
  cursorOf: (r: Review) => string;
}

const cursorOf = (r: Review) => encodeCursor({ t: new Date(r.createdAt).toISOString(), id: r._id });

/**
 * Reviews live in MongoDB. The teacher's rating (sum and count of visible reviews, on the profile)
 * follows them through `review.*` domain events (RatingAggregateConsumer), recomputed from the
 * reviews each time, and by a periodic repair job.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly lessons: LessonQueriesService,
    private readonly teachers: TeachersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** A student reviews a COMPLETED lesson of theirs, once. */
  async create(viewer: Viewer, input: CreateReviewInput): Promise<Review> {
    const lesson = await this.lessons.find(input.lessonId);
    if (!lesson) throw new NotFoundError('Lesson', input.lessonId);
    if (lesson.studentId !== viewer.userId) throw new ForbiddenError('Only the student of a lesson may review it');
    if (lesson.status !== LessonStatus.COMPLETED) {
      throw new ConflictError(`Only completed lessons can be reviewed; this one is ${lesson.status}`, {
        reason: 'LESSON_NOT_COMPLETED',
        currentStatus: lesson.status,
        field: 'input.lessonId',
      });
    }
    const review: Review = {
      _id: ulid(),
      lessonId: lesson.id,
      teacherId: lesson.teacherId,
      studentId: viewer.userId,
      rating: input.rating,
      text: input.text,
      reply: null,
      hidden: false,
      hiddenReason: null,
      createdAt: this.clock.now(),
    };
    // Recorded before the insert (MongoDB has no transaction with the outbox): if the insert
    // fails the event is discarded; after a crash in between, the consumer finds no change.
    const created = await this.events.recordAhead('review.created', {
      reviewId: review._id,
      teacherId: review.teacherId,
      studentId: review.studentId,
      lessonId: review.lessonId,
      rating: review.rating,
    });
    try {
      await this.reviews.insert(review);
    } catch (err) {
      await this.events.discard(created);
      if (err instanceof DuplicateReviewError)
        throw new ConflictError('This lesson has already been reviewed', {
          reason: 'ALREADY_REVIEWED',
          field: 'input.lessonId',
        });
      throw err;
    }
    this.events.publish(created);
    return review;
  }

  /** The reviewed teacher answers once. */
  async reply(viewer: Viewer, reviewId: string, text: string): Promise<Review> {
    const review = await this.existing(reviewId);
    if (review.teacherId !== viewer.userId) throw new ForbiddenError('Only the reviewed teacher may reply');
    const replied = await this.reviews.setReplyOnce(reviewId, text, this.clock.now());
    if (!replied)
      throw new ConflictError('This review already has a reply', { reason: 'ALREADY_REPLIED', field: 'reviewId' });
    return replied;
  }

  /** Admin: hides (or shows again) a review; the teacher's rating follows through `review.*` events. */
  async setHidden(reviewId: string, hidden: boolean, reason: string | null): Promise<Review> {
    const review = await this.existing(reviewId);
    if (review.hidden === hidden) return review;
    const payload = { reviewId, teacherId: review.teacherId, rating: review.rating };
    const event = await this.events.recordAhead(hidden ? 'review.hidden' : 'review.unhidden', payload);
    let changed: Review | null;
    try {
      changed = await this.reviews.setHidden(reviewId, hidden, reason);
    } catch (err) {
      await this.events.discard(event);
      throw err;
    }
    if (!changed) {
      await this.events.discard(event); // a concurrent request flipped it first
      return this.existing(reviewId);
    }
    this.events.publish(event);
    return changed;
  }

  /**
   * Recomputes a teacher's rating from the visible reviews and stores it. Idempotent, so the
   * `review.*` consumer and the repair job may run it any number of times; it re-checks after
   * writing, so a recomputation that raced a newer review never leaves the older figure behind.
   */
  async recomputeRating(teacherId: string): Promise<{ sum: number; count: number }> {
    let rating = await this.reviews.ratingOf(teacherId);
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.teachers.setRating(teacherId, rating.sum, rating.count);
      const again = await this.reviews.ratingOf(teacherId);
      if (again.sum === rating.sum && again.count === rating.count) return rating;
      rating = again;
    }
    throw new ConflictError('Reviews kept changing; the rating will be recomputed on the next delivery', {
      reason: 'CHANGED_CONCURRENTLY',
    });
  }

  /** The repair job: recomputes every reviewed teacher's rating (closes any crash window). */
  async recomputeAllRatings(): Promise<number> {
    let after: string | null = null;
    let done = 0;
    for (;;) {
      const teachers: string[] = await this.reviews.reviewedTeachers(after, 100);
      for (const id of teachers) await this.recomputeRating(id);
      done += teachers.length;
      if (teachers.length < 100) return done;
      after = teachers[teachers.length - 1];
    }
  }

  /** One page of a teacher's visible reviews, newest first (one query). */
  async page(teacherId: string, first: number, after?: string): Promise<ReviewPage> {
    const c = decodeAfter<{ t: string; id: string }>(
      after,
      (p) => typeof p.id === 'string' && !Number.isNaN(Date.parse(p.t)),
    );
    const cursor = c ? { createdAt: new Date(c.t), id: c.id } : undefined;
    return this.pageOf(await this.reviews.page(teacherId, first, cursor), first);
  }

  /**
   * The same page for a teacher among many in one request (a page of teachers each showing its
   * reviews): first pages of every teacher asked for in the same tick come from one aggregate, so
   * a list of teachers costs one review query whatever its length. A page after a cursor belongs
   * to one teacher's list and is read on its own.
   */
  async pageInRequest(loaders: RequestLoaders, teacherId: string, first: number, after?: string): Promise<ReviewPage> {
    if (after !== undefined && after !== null) return this.page(teacherId, first, after);
    return this.pageOf(await loaders.reviewFirstPages.load({ teacherId, first }), first);
  }

  private pageOf(rows: Review[], first: number): ReviewPage {
    return { reviews: rows.slice(0, first), hasNextPage: rows.length > first, cursorOf };
  }

  /** How many visible reviews a teacher has (a connection's totalCount). */
  countVisible(teacherId: string): Promise<number> {
    return this.reviews.countVisible(teacherId);
  }

  private async existing(id: string): Promise<Review> {
    const review = await this.reviews.get(id);
    if (!review) throw new NotFoundError('Review', id);
    return review;
  }
}
