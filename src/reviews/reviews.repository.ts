import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, PipelineStage } from 'mongoose';
import { Review } from './review.schema';
import { DuplicateReviewError } from './reviews.errors';

/**
 * The newest `limit` visible reviews of each of `teacherIds`, as one aggregate: `{ _id: teacherId,
 * reviews }` per teacher that has any. Sorted by the review index, grouped in that order, each
 * group cut to its first `limit`. ($topN, $firstN and $unionWith would bound the work per teacher
 * in MongoDB 5.2+, but mongo-java-server, which the tests run, has none of them: docs/decisions.)
 */
export function latestReviewsPipeline(teacherIds: readonly string[], limit: number): PipelineStage[] {
  return [
    { $match: { teacherId: { $in: [...teacherIds] }, hidden: false } },
    { $sort: { teacherId: 1, createdAt: -1, _id: -1 } },
    { $group: { _id: '$teacherId', reviews: { $push: '$$ROOT' } } },
    { $project: { reviews: { $slice: ['$reviews', limit] } } },
  ];
}

@Injectable()
export class ReviewsRepository {
  constructor(@InjectModel(Review.name) private readonly model: Model<Review>) {}

  async insert(review: Review): Promise<void> {
    try {
      await this.model.create(review);
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new DuplicateReviewError();
      throw err;
    }
  }

  async get(id: string): Promise<Review | null> {
    return this.model.findById(id).lean<Review>();
  }

  /** Sets the reply only if there is none yet; null when another reply won. */
  async setReplyOnce(id: string, text: string, at: Date): Promise<Review | null> {
    return this.model
      .findOneAndUpdate({ _id: id, reply: null }, { $set: { reply: { text, at } } }, { returnDocument: 'after' })
      .lean<Review>();
  }

  /** Flips `hidden` only if it differs, so concurrent hides adjust the aggregate once. */
  async setHidden(id: string, hidden: boolean, reason: string | null): Promise<Review | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, hidden: !hidden },
        { $set: { hidden, hiddenReason: reason } },
        { returnDocument: 'after' },
      )
      .lean<Review>();
  }

  /** Sum and number of the ratings of a teacher's visible reviews. */
  async ratingOf(teacherId: string): Promise<{ sum: number; count: number }> {
    const [row] = await this.model.aggregate<{ sum: number; count: number }>([
      { $match: { teacherId, hidden: false } },
      { $group: { _id: null, sum: { $sum: '$rating' }, count: { $sum: 1 } } },
    ]);
    return { sum: row?.sum ?? 0, count: row?.count ?? 0 };
  }

  /** Ids of teachers with at least one review (visible or not), in id order after `afterId`. */
  async reviewedTeachers(afterId: string | null, limit: number): Promise<string[]> {
    const rows = await this.model.aggregate<{ _id: string }>([
      ...(afterId ? [{ $match: { teacherId: { $gt: afterId } } }] : []),
      { $group: { _id: '$teacherId' } },
      { $sort: { _id: 1 } },
      { $limit: limit },
    ]);
    return rows.map((r) => r._id);
  }

  /** The newest `limit` visible reviews of each teacher (none for a teacher without any), in one aggregate. */
  async latestOfTeachers(teacherIds: readonly string[], limit: number): Promise<Map<string, Review[]>> {
    const groups = await this.model.aggregate<{ _id: string; reviews: Review[] }>(
      latestReviewsPipeline(teacherIds, limit),
    );
    return new Map(groups.map((g) => [g._id, g.reviews]));
  }

  /** How many visible reviews a teacher has (the `{ teacherId, hidden }` prefix of the list index). */
  async countVisible(teacherId: string): Promise<number> {
    return this.model.countDocuments({ teacherId, hidden: false });
  }

  /** Visible reviews of a teacher, newest first, after the (createdAt, _id) cursor. */
  async page(teacherId: string, limit: number, after?: { createdAt: Date; id: string }): Promise<Review[]> {
    const filter: Record<string, unknown> = { teacherId, hidden: false };
    if (after) {
      filter.$or = [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }];
    }
    return this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Review[]>();
  }
}
