import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { decodeCursor, encodeCursor, InvalidCursorError, ValidationFailedError } from '@app/common';
import type { Message } from './chat.types';
import { ClientMessageIdTaken, PositionTaken } from './chat.errors';
import { MessageDoc } from './message.schema';
import { backwardWindow, forwardWindow, latestWindow, type WindowOptions } from './message-window';

const DUPLICATE_KEY = 11000;

/** Where a client is in a conversation: the position and write time of a message it has. */
interface MessageCursor {
  c: string;
  s: number;
  t: number;
}

/** A window of a conversation, ascending by position, with what lies beyond each end. */
export interface MessageWindow {
  items: Message[];
  hasOlder: boolean;
  hasNewer: boolean;
  cursorOf(message: Message): string;
}

export type WindowRequest =
  | { kind: 'latest'; limit: number }
  | { kind: 'after'; cursor: string; limit: number }
  | { kind: 'before'; cursor: string; limit: number };

/** Messages in MongoDB, ordered within a conversation by their allocated position `seq`. */
@Injectable()
export class MessagesRepository {
  constructor(@InjectModel(MessageDoc.name) private readonly model: Model<MessageDoc>) {}

  /**
   * Stores a message that has no position yet (`seq` negative: pending). The unique client
   * message id makes this the claim of an idempotent send: ClientMessageIdTaken when the sender
   * already stored it (a retry, or one racing the first send).
   */
  async insertPending(message: Message): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.model.create(message);
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
        if (/clientMessageId/.test((err as Error).message)) throw new ClientMessageIdTaken();
        if (attempt === 3) throw new PositionTaken();
        message.seq = pendingSeq(message.createdAt); // two pending messages drew the same number
      }
    }
  }

  /** Gives a pending message its allocated position (and write time); null if it is no longer pending. */
  assign(id: string, pending: number, seq: number, createdAt: Date): Promise<Message | null> {
    return this.model
      .findOneAndUpdate({ _id: id, seq: pending }, { $set: { seq, createdAt } }, { returnDocument: 'after' })
      .lean<Message>();
  }

  /** Forgets a pending message whose send failed, so a retry can send it anew. */
  async removePending(id: string, pending: number): Promise<void> {
    await this.model.deleteOne({ _id: id, seq: pending });
  }

  findById(id: string): Promise<Message | null> {
    return this.model.findById(id).lean<Message>();
  }

  async findByIds(ids: readonly string[]): Promise<Array<Message | null>> {
    const found = await this.model.find({ _id: { $in: [...new Set(ids)] } }).lean<Message[]>();
    const byId = new Map(found.map((m) => [m._id, m]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  findByClientId(senderId: string, clientMessageId: string): Promise<Message | null> {
    return this.model.findOne({ senderId, clientMessageId }).lean<Message>();
  }

  /** How many positions in (fromSeq, toSeq] hold messages of `senderId`. */
  countFrom(conversationId: string, senderId: string, fromSeq: number, toSeq: number): Promise<number> {
    return this.model.countDocuments({ conversationId, senderId, seq: { $gt: fromSeq, $lte: toSeq } });
  }

  /** Replaces the text of a message that is not deleted; null when it is (or is gone). */
  setText(id: string, text: string, editedAt: Date): Promise<Message | null> {
    return this.model
      .findOneAndUpdate({ _id: id, deletedAt: null }, { $set: { text, editedAt } }, { returnDocument: 'after' })
      .lean<Message>();
  }

  /** Empties a message, keeping its place as a tombstone; null when it was already deleted. */
  tombstone(id: string, deletedAt: Date): Promise<Message | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, deletedAt: null },
        { $set: { text: '', attachmentIds: [], lessonId: null, deletedAt } },
        { returnDocument: 'after' },
      )
      .lean<Message>();
  }

  /**
   * A window of the conversation: the newest messages, or those after or before a cursor
   * (pending messages, which have no position yet, are never shown). Cursors of another
   * conversation, or not ours, are BAD_USER_INPUT on `after` / `before`.
   */
  async window(conversationId: string, request: WindowRequest, opts: WindowOptions): Promise<MessageWindow> {
    const { limit } = request;
    if (request.kind === 'latest') {
      const rows = await this.query({ conversationId, seq: { $gt: 0 } }, -1, limit);
      const w = latestWindow(rows, limit, opts);
      return { items: w.rows, hasOlder: w.older, hasNewer: w.newer, cursorOf };
    }
    const cursor = parseCursor(conversationId, request.cursor, request.kind);
    if (request.kind === 'after') {
      const rows = await this.query({ conversationId, seq: { $gt: cursor.s } }, 1, limit);
      const w = forwardWindow(rows, cursor.s, limit, opts);
      return { items: w.rows, hasOlder: true, hasNewer: w.more, cursorOf };
    }
    const rows = await this.query({ conversationId, seq: { $gt: 0, $lt: cursor.s } }, -1, limit);
    const w = backwardWindow(rows, cursor.s, cursor.t, limit, opts);
    return { items: w.rows, hasOlder: w.more, hasNewer: true, cursorOf };
  }

  /** The opaque cursor of a message (a client keeps the newest one to catch up after a reconnect). */
  cursorOf(message: Message): string {
    return cursorOf(message);
  }

  private query(filter: Record<string, unknown>, direction: 1 | -1, limit: number): Promise<Message[]> {
    return this.model
      .find(filter)
      .sort({ seq: direction })
      .limit(limit + 1)
      .lean<Message[]>();
  }
}

/**
 * The position of a message not yet placed: negative (readers look at positions from 1) and
 * distinct from other pending messages of the conversation (the position index is unique).
 */
export function pendingSeq(createdAt: Date): number {
  return -(createdAt.getTime() * 1000 + Math.floor(Math.random() * 1000));
}

function cursorOf(m: Message): string {
  return encodeCursor({ c: m.conversationId, s: m.seq, t: new Date(m.createdAt).getTime() } satisfies MessageCursor);
}

function parseCursor(conversationId: string, cursor: string, field: 'after' | 'before'): MessageCursor {
  const wrong = () => ValidationFailedError.field(field, `${field} is not a cursor of this conversation`);
  let payload: Partial<MessageCursor>;
  try {
    payload = decodeCursor<Partial<MessageCursor>>(cursor);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw wrong();
    throw err;
  }
  const { c, s, t } = payload;
  if (c !== conversationId || !Number.isInteger(s) || s! < 1 || typeof t !== 'number' || !Number.isFinite(t))
    throw wrong();
  return { c, s: s!, t };
}
