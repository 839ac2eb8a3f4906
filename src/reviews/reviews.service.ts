import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { Clock, ConflictError, decodeAfter, encodeCursor, ForbiddenError, NotFoundError } from '@app/common';
import { LessonQueriesService } from '../bookings/lesson-queries.service';
import { LessonStatus } from '../bookings/lesson.types';
import { TeachersService } from '../teachers/teachers.service';
import type { Viewer } from '../auth/viewer';
import { CreateReviewInput } from './dto/review.inputs';
import { Review } from './review.schema';
import { DuplicateReviewError, ReviewsRepository } from './reviews.repository';

/**
 * Reviews live in MongoDB; the teacher's rating sum and count are kept on the profile with $inc,
 * changed only by the one writer that flipped a review's state (insert, hide, unhide), so
 * concurrent reviews and hides add up exactly.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly lessons: LessonQueriesService,
    private readonly teachers: TeachersService,
    private readonly clock: Clock,
  ) {}

  /** A student reviews a COMPLETED lesson of theirs, once. */
  async create(viewer: Viewer, input: CreateReviewInput): Promise<Review> {
    const lesson = await this.lessons.find(input.lessonId);
    if (!lesson) throw new NotFoundError('Lesson', input.lessonId);
    if (lesson.studentId !== viewer.userId) throw new ForbiddenError('Only the student of a lesson may review it');
    if (lesson.status !== LessonStatus.COMPLETED) {
      throw new ConflictError(`Only completed lessons can be reviewed; this one is ${lesson.status}`, {
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
    try {
      await this.reviews.insert(review);
    } catch (err) {
      if (err instanceof DuplicateReviewError)
        throw new ConflictError('This lesson has already been reviewed', { field: 'input.lessonId' });
      throw err;
    }
    await this.teachers.applyRatingDelta(review.teacherId, review.rating, 1);
    return review;
  }

  /** The reviewed teacher answers once. */
  async reply(viewer: Viewer, reviewId: string, text: string): Promise<Review> {
    const review = await this.existing(reviewId);
    if (review.teacherId !== viewer.userId) throw new ForbiddenError('Only the reviewed teacher may reply');
    const replied = await this.reviews.setReplyOnce(reviewId, text, this.clock.now());
    if (!replied) throw new ConflictError('This review already has a reply', { field: 'reviewId' });
    return replied;
  }

  /** Admin: hides (or shows again) a review; the aggregate follows exactly once per change. */
  async setHidden(reviewId: string, hidden: boolean, reason: string | null): Promise<Review> {
    const changed = await this.reviews.setHidden(reviewId, hidden, reason);
    if (!changed) return this.existing(reviewId); // already in that state
    await this.teachers.applyRatingDelta(changed.teacherId, hidden ? -changed.rating : changed.rating, hidden ? -1 : 1);
    return changed;
  }

  async page(teacherId: string, first: number, after?: string) {
    const c = decodeAfter<{ t: string; id: string }>(
      after,
      (p) => typeof p.id === 'string' && !Number.isNaN(Date.parse(p.t)),
    );
    const cursor = c ? { createdAt: new Date(c.t), id: c.id } : undefined;
    const rows = await this.reviews.page(teacherId, first, cursor);
    return {
      reviews: rows.slice(0, first),
      hasNextPage: rows.length > first,
      cursorOf: (r: Review) => encodeCursor({ t: new Date(r.createdAt).toISOString(), id: r._id }),
    };
  }

  private async existing(id: string): Promise<Review> {
    const review = await this.reviews.get(id);
    if (!review) throw new NotFoundError('Review', id);
    return review;
  }
}
