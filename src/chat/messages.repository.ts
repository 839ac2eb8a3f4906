import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { decodeCursor, encodeCursor, InvalidCursorError, ValidationFailedError } from '@app/common';
import type { Message } from './chat.types';
import { ClientMessageIdTaken, PositionTaken } from './chat.errors';
import { MessageDoc } from './message.schema';

const DUPLICATE_KEY = 11000;
const isDuplicate = (err: unknown) => (err as { code?: number }).code === DUPLICATE_KEY;
/** The unique index a duplicate key error is about (the server names it in the message). */
const onClientMessageId = (err: unknown) => /clientMessageId/.test((err as Error).message);

/** Attempts at placing one message while others of the same conversation take the positions it tries. */
const PLACE_ATTEMPTS = 50;

/** Where a client is in a conversation: the position of a message it has. */
interface MessageCursor {
  c: string;
  s: number;
}

/** A window of a conversation, ascending by position, with whether more lies beyond each end. */
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

/**
 * Messages in MongoDB, ordered within a conversation by their position `seq`. The unique index
 * on (conversationId, seq) is the sequencer: a message takes the lowest free position above
 * those known, so positions are 1, 2, 3 ... without holes, the same order for every reader and
 * instance (docs/decisions/0015-chat-positions-and-presence-leases.md).
 */
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
        if (!isDuplicate(err)) throw err;
        if (onClientMessageId(err)) throw new ClientMessageIdTaken();
        if (attempt === 3) throw err;
        message.seq = pendingSeq(message.createdAt); // two pending messages drew the same number
      }
    }
  }

  /**
   * Places a pending message at the lowest free position from `from` on: each attempt moves it
   * to a position, and the unique index refuses one that another message holds (then the next
   * free one is tried). Every position below `from` must be taken. Returns the placed message,
   * or null when it is no longer pending (another request placed it).
   */
  async place(pending: Message, from: number, placedAt: () => Date): Promise<Message | null> {
    let candidate = Math.max(1, from);
    for (let attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
      try {
        return await this.model
          .findOneAndUpdate(
            { _id: pending._id, seq: pending.seq },
            { $set: { seq: candidate, createdAt: placedAt() } },
            { returnDocument: 'after' },
          )
          .lean<Message>();
      } catch (err) {
        if (!isDuplicate(err) || onClientMessageId(err)) throw err;
        candidate = Math.max(candidate + 1, (await this.highestSeq(pending.conversationId)) + 1);
      }
    }
    throw new PositionTaken();
  }

  /** Forgets a pending message whose send failed, so a retry can send it anew. */
  async removePending(id: string, pending: number): Promise<void> {
    await this.model.deleteOne({ _id: id, seq: pending });
  }

  findById(id: string): Promise<Message | null> {
    return this.model.findById(id).lean<Message>();
  }

  findByClientId(senderId: string, clientMessageId: string): Promise<Message | null> {
    return this.model.findOne({ senderId, clientMessageId }).lean<Message>();
  }

  /** Messages by (conversation, position): the last messages of a page of conversations in one find. */
  async findAt(positions: ReadonlyArray<{ conversationId: string; seq: number }>): Promise<Array<Message | null>> {
    if (positions.length === 0) return [];
    const found = await this.model
      .find({ $or: positions.map(({ conversationId, seq }) => ({ conversationId, seq })) })
      .lean<Message[]>();
    const at = new Map(found.map((m) => [`${m.conversationId}:${m.seq}`, m]));
    return positions.map((p) => at.get(`${p.conversationId}:${p.seq}`) ?? null);
  }

  /** Which of these attachments a message that is not deleted still carries (a file sent twice in a conversation). */
  async attachmentsInUse(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.model
      .find({ attachmentIds: { $in: [...ids] }, deletedAt: null }, { attachmentIds: 1 })
      .lean<Array<Pick<Message, 'attachmentIds'>>>();
    const wanted = new Set(ids);
    return new Set(rows.flatMap((r) => r.attachmentIds.filter((id) => wanted.has(id))));
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

  /** Empties a message (text, card, attachments), keeping its place as a tombstone; null when it was already deleted. */
  tombstone(id: string, deletedAt: Date): Promise<Message | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, deletedAt: null },
        { $set: { text: '', lessonId: null, attachmentIds: [], deletedAt } },
        { returnDocument: 'after' },
      )
      .lean<Message>();
  }

  /**
   * A window of the conversation: the newest messages, or those after or before a cursor
   * (pending messages, not placed yet, are never shown). Cursors of another conversation, or not
   * ours, are BAD_USER_INPUT on `after` / `before`.
   */
  async window(conversationId: string, request: WindowRequest): Promise<MessageWindow> {
    const { limit } = request;
    if (request.kind === 'latest') {
      const rows = await this.query({ conversationId, seq: { $gt: 0 } }, -1, limit);
      return { items: rows.slice(0, limit).reverse(), hasOlder: rows.length > limit, hasNewer: false, cursorOf };
    }
    const cursor = parseCursor(conversationId, request.cursor, request.kind);
    if (request.kind === 'after') {
      const rows = await this.query({ conversationId, seq: { $gt: cursor.s } }, 1, limit);
      return { items: rows.slice(0, limit), hasOlder: true, hasNewer: rows.length > limit, cursorOf };
    }
    const rows = await this.query({ conversationId, seq: { $gt: 0, $lt: cursor.s } }, -1, limit);
    return { items: rows.slice(0, limit).reverse(), hasOlder: rows.length > limit, hasNewer: true, cursorOf };
  }

  /** The opaque cursor of a message (a client keeps the newest one to catch up after a reconnect). */
  cursorOf(message: Message): string {
    return cursorOf(message);
  }

  private async highestSeq(conversationId: string): Promise<number> {
    const [top] = await this.model.find({ conversationId }, { seq: 1 }).sort({ seq: -1 }).limit(1).lean<Message[]>();
    return top?.seq ?? 0;
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
export function pendingSeq(claimedAt: Date): number {
  return -(claimedAt.getTime() * 1000 + Math.floor(Math.random() * 1000));
}

function cursorOf(m: Message): string {
  return encodeCursor({ c: m.conversationId, s: m.seq } satisfies MessageCursor);
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
  const { c, s } = payload;
  if (c !== conversationId || !Number.isInteger(s) || s! < 1) throw wrong();
  return { c, s: s! };
}
