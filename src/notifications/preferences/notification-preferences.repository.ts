import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { NotificationPreferences } from './notification-preferences.schema';

@Injectable()
export class NotificationPreferencesRepository {
  constructor(@InjectModel(NotificationPreferences.name) private readonly model: Model<NotificationPreferences>) {}

  async emailOff(userId: string): Promise<string[]> {
    const doc = await this.model.findById(userId).lean<NotificationPreferences>();
    return doc?.emailOff ?? [];
  }

  /** Switches categories on and off in one atomic update; returns what is off afterwards. */
  async set(userId: string, off: string[], on: string[], now: Date): Promise<string[]> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: userId },
        {
          ...(off.length ? { $addToSet: { emailOff: { $each: off } } } : {}),
          $set: { updatedAt: now },
        },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<NotificationPreferences>();
    if (!on.length) return doc?.emailOff ?? [];
    const after = await this.model
      .findOneAndUpdate({ _id: userId }, { $pull: { emailOff: { $in: on } } }, { returnDocument: 'after' })
      .lean<NotificationPreferences>();
    return after?.emailOff ?? [];
  }
}
