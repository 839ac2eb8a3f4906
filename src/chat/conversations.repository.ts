import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { decodeAfter, encodeCursor, type Page } from '@app/common';
import type { Conversation, MemberState } from './chat.types';
import { ConversationDoc } from './conversation.schema';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === DUPLICATE_KEY;

const member = (userId: string, field: keyof MemberState) => `members.${userId}.${field}`;

/** Conversations in MongoDB: one per pair, with each participant's read state. */
@Injectable()
export class ConversationsRepository {
  constructor(@InjectModel(ConversationDoc.name) private readonly model: Model<ConversationDoc>) {}

  findById(id: string): Promise<Conversation | null> {
    return this.model.findById(id).lean<Conversation>();
  }

  async findByPairs(pairKeys: readonly string[]): Promise<Array<Conversation | null>> {
    const found = await this.model.find({ pairKey: { $in: [...new Set(pairKeys)] } }).lean<Conversation[]>();
    const byKey = new Map(found.map((c) => [c.pairKey, c]));
    return pairKeys.map((k) => byKey.get(k) ?? null);
  }

  /**
   * The pair's conversation, created if it does not exist yet (concurrent first messages of both
   * users meet on the unique pair key and share one).
   */
  async getOrCreate(fresh: Conversation): Promise<Conversation> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const doc = await this.model
          .findOneAndUpdate(
            { pairKey: fresh.pairKey },
            { $setOnInsert: fresh },
            { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false },
          )
          .lean<Conversation>();
        if (doc) return doc;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const existing = await this.model.findOne({ pairKey: fresh.pairKey }).lean<Conversation>();
      if (existing) return existing;
    }
    throw new Error(`conversation ${fresh.pairKey} could not be created`);
  }

  /**
   * After a message was placed at `seq`: the conversation's highest position and activity move
   * forward (never back: placements may finish out of order) and the recipient's unread count
   * grows, in one update.
   */
  recordPlaced(conversationId: string, recipientId: string, seq: number, now: Date): Promise<Conversation | null> {
    return this.model
      .findOneAndUpdate(
        { _id: conversationId },
        { $max: { seq, lastActivityAt: now }, $inc: { [member(recipientId, 'unread')]: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Conversation>();
  }

  /**
   * Moves a member's read position forward to `readSeq` with the unread count that follows, if
   * the conversation still has `seq` messages (so the count is exact); null when it moved on or
   * the member already read further.
   */
  markRead(
    conversationId: string,
    userId: string,
    seq: number,
    read: { readSeq: number; readMessageId: string | null; readAt: Date; unread: number },
  ): Promise<Conversation | null> {
    return this.model
      .findOneAndUpdate(
        { _id: conversationId, seq, [member(userId, 'readSeq')]: { $lt: read.readSeq } },
        {
          $set: {
            [member(userId, 'readSeq')]: read.readSeq,
            [member(userId, 'readMessageId')]: read.readMessageId,
            [member(userId, 'readAt')]: read.readAt,
            [member(userId, 'unread')]: read.unread,
          },
        },
        { returnDocument: 'after' },
      )
      .lean<Conversation>();
  }

  /** Adds or removes `userId` among those blocking; the conversation after the change. */
  setBlocked(conversationId: string, userId: string, blocked: boolean): Promise<Conversation | null> {
    const update = blocked ? { $addToSet: { blockedBy: userId } } : { $pull: { blockedBy: userId } };
    return this.model
      .findOneAndUpdate({ _id: conversationId }, update, { returnDocument: 'after' })
      .lean<Conversation>();
  }

  /** The user's conversations that have messages, by last activity (newest first). */
  async page(userId: string, limit: number, after?: string | null): Promise<Page<Conversation>> {
    const cursor = decodeAfter<{ t: number; id: string }>(
      after,
      (p) => typeof p.id === 'string' && typeof p.t === 'number' && Number.isFinite(p.t),
    );
    const filter: Record<string, unknown> = { participantIds: userId, seq: { $gt: 0 } };
    if (cursor) {
      const t = new Date(cursor.t);
      filter.$or = [{ lastActivityAt: { $lt: t } }, { lastActivityAt: t, _id: { $lt: cursor.id } }];
    }
    const rows = await this.model
      .find(filter)
      .sort({ lastActivityAt: -1, _id: -1 })
      .limit(limit + 1)
      .lean<Conversation[]>();
    return {
      items: rows.slice(0, limit),
      nextCursor: rows.length > limit ? cursorOf(rows[limit - 1]) : null,
      cursorOf,
    };
  }

  /** The people `userId` shares a conversation with that nobody has blocked (presence goes to them). */
  async partnersOf(userId: string): Promise<string[]> {
    const rows = await this.model
      .find({ participantIds: userId, blockedBy: { $size: 0 } }, { participantIds: 1 })
      .lean<Array<Pick<Conversation, 'participantIds'>>>();
    return rows.map((r) => (r.participantIds[0] === userId ? r.participantIds[1] : r.participantIds[0]));
  }

  /** The user's unread messages over all conversations. */
  async unreadTotal(userId: string): Promise<number> {
    const [row] = await this.model.aggregate<{ total: number }>([
      { $match: { participantIds: userId } },
      { $group: { _id: null, total: { $sum: `$members.${userId}.unread` } } },
    ]);
    return Math.max(0, row?.total ?? 0);
  }
}

function cursorOf(c: Conversation): string {
  return encodeCursor({ t: new Date(c.lastActivityAt).getTime(), id: c._id });
}
