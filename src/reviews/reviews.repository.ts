import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Review } from './review.schema';
import { DuplicateReviewError } from './reviews.errors';

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
