import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RecordingConsentDoc } from './recording.schema';

const STANDING = '*';
const idOf = (userId: string, lessonId: string | null) => `${userId}|${lessonId ?? STANDING}`;

/** Recording consents: one document per user and lesson, or per user for the standing one. */
@Injectable()
export class RecordingConsentsRepository {
  constructor(@InjectModel(RecordingConsentDoc.name) private readonly model: Model<RecordingConsentDoc>) {}

  async grant(userId: string, lessonId: string | null, now: Date): Promise<void> {
    await this.model.updateOne(
      { _id: idOf(userId, lessonId) },
      { $setOnInsert: { userId, lessonId, grantedAt: now } },
      { upsert: true },
    );
  }

  async revoke(userId: string, lessonId: string | null): Promise<void> {
    await this.model.deleteOne({ _id: idOf(userId, lessonId) });
  }

  /** Of `userIds`, those who consent to recording `lessonId` (for it, or standing). */
  async consenting(userIds: string[], lessonId: string): Promise<Set<string>> {
    const ids = userIds.flatMap((u) => [idOf(u, lessonId), idOf(u, null)]);
    const docs = await this.model.find({ _id: { $in: ids } }, { userId: 1 }).lean<Array<{ userId: string }>>();
    return new Set(docs.map((d) => d.userId));
  }

  /** The user's consents: standing or not, and the lessons consented to one by one. */
  async of(userId: string, lessonId: string | null): Promise<{ standing: boolean; lesson: boolean }> {
    const docs = await this.model
      .find({ _id: { $in: [idOf(userId, null), ...(lessonId ? [idOf(userId, lessonId)] : [])] } }, { lessonId: 1 })
      .lean<Array<{ lessonId: string | null }>>();
    return { standing: docs.some((d) => d.lessonId === null), lesson: docs.some((d) => d.lessonId !== null) };
  }
}
