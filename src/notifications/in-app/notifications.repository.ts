import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Notification } from './notification.schema';

@Injectable()
export class NotificationsRepository {
  constructor(@InjectModel(Notification.name) private readonly model: Model<Notification>) {}

  /** False when a notification with this id exists already (a repeated delivery). */
  async insert(notification: Notification): Promise<boolean> {
    try {
      await this.model.create(notification);
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /** Newest first after the (createdAt, _id) cursor; one more than `limit` tells whether a next page exists. */
  async page(
    userId: string,
    limit: number,
    opts: { after?: { createdAt: Date; id: string }; unreadOnly?: boolean },
  ): Promise<Notification[]> {
    const filter: Record<string, unknown> = { userId };
    if (opts.unreadOnly) filter.readAt = null;
    if (opts.after) {
      filter.$or = [
        { createdAt: { $lt: opts.after.createdAt } },
        { createdAt: opts.after.createdAt, _id: { $lt: opts.after.id } },
      ];
    }
    return this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Notification[]>();
  }

  unreadCount(userId: string): Promise<number> {
    return this.model.countDocuments({ userId, readAt: null });
  }

  /** Marks the user's own notifications read (all of them when `ids` is absent). */
  async markRead(userId: string, ids: string[] | undefined, at: Date): Promise<void> {
    await this.model.updateMany(
      { userId, readAt: null, ...(ids ? { _id: { $in: ids } } : {}) },
      { $set: { readAt: at } },
    );
  }
}
