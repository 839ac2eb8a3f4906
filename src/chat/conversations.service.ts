import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { Clock, ConflictError, type Page, ValidationFailedError } from '@app/common';
import { LessonQueriesService } from '../bookings/lesson-queries.service';
import type { RequestLoaders } from '../graphql/request-loaders';
import { TeachersService } from '../teachers/teachers.service';
import { UsersService } from '../users/users.service';
import { type Conversation, memberState, otherParticipant, pairKeyOf } from './chat.types';
import { ChatForbiddenError, ChatNotFoundError } from './chat.errors';
import { ChatLive, MessageEventKind } from './chat-live.service';
import { ConversationsRepository } from './conversations.repository';
import { MessagesRepository } from './messages.repository';

/** Optimistic attempts at moving a read position while messages keep arriving. */
const READ_ATTEMPTS = 5;

/** Who is writing to whom: an existing conversation, or the recipient of a first message. */
export interface Target {
  recipientId: string;
  conversation: Conversation | null;
}

/**
 * Conversations: who may talk to whom, blocks, read state and unread counts. A student may start
 * a conversation with any published teacher; a teacher (anyone, in fact) with the people they
 * have a lesson with, in any state. Once a conversation exists either side may write, until one
 * blocks the other.
 */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly users: UsersService,
    private readonly teachers: TeachersService,
    private readonly lessons: LessonQueriesService,
    private readonly live: ChatLive,
    private readonly clock: Clock,
  ) {}

  /** A conversation of the viewer: NOT_FOUND when there is none by that id, FORBIDDEN when it is someone else's. */
  /** A conversation of the viewer, or null when there is none; FORBIDDEN for one of others. */
  async find(viewerId: string, id: string, field: string): Promise<Conversation | null> {
    const conversation = await this.conversations.findById(id);
    if (conversation && !conversation.participantIds.includes(viewerId))
      throw new ChatForbiddenError('This is not your conversation', field, 'NOT_A_PARTICIPANT');
    return conversation;
  }

  async forParticipant(viewerId: string, id: string, field: string): Promise<Conversation> {
    const conversation = await this.conversations.findById(id);
    if (!conversation) throw new ChatNotFoundError('Conversation', id, field);
    if (!conversation.participantIds.includes(viewerId))
      throw new ChatForbiddenError('This is not your conversation', field, 'NOT_A_PARTICIPANT');
    return conversation;
  }

  /**
   * Where a message goes: the conversation by id, or the one with `toUserId` (existing, or allowed
   * to start by the rules above; nothing is created here).
   */
  async target(
    loaders: RequestLoaders,
    senderId: string,
    to: { conversationId?: string; toUserId?: string },
  ): Promise<Target> {
    if (to.conversationId) {
      const conversation = await this.forParticipant(senderId, to.conversationId, 'input.conversationId');
      return { conversation, recipientId: otherParticipant(conversation, senderId) };
    }
    const recipientId = to.toUserId!;
    if (recipientId === senderId) throw ValidationFailedError.field('input.toUserId', 'You cannot message yourself');
    const [conversation] = await this.conversations.findByPairs([pairKeyOf(senderId, recipientId)]);
    if (!conversation) await this.checkMayStart(loaders, senderId, recipientId);
    return { conversation, recipientId };
  }

  /** The conversation of a pair, created when it does not exist (after the caller's checks). */
  ensure(a: string, b: string): Promise<Conversation> {
    const now = this.clock.now();
    const pairKey = pairKeyOf(a, b);
    const fresh = { readSeq: 0, readMessageId: null, readAt: null, unread: 0 };
    return this.conversations.getOrCreate({
      _id: ulid(),
      pairKey,
      participantIds: pairKey.split(':'),
      seq: 0,
      lastActivityAt: now,
      createdAt: now,
      blockedBy: [],
      members: { [a]: { ...fresh }, [b]: { ...fresh } },
    });
  }

  private async checkMayStart(loaders: RequestLoaders, senderId: string, recipientId: string): Promise<void> {
    const [recipient, profile] = await Promise.all([
      this.users.find(loaders, recipientId),
      this.teachers.find(loaders, recipientId),
    ]);
    if (!recipient) throw new ChatNotFoundError('User', recipientId, 'input.toUserId');
    if (profile?.published) return;
    const [asTeacher, asStudent] = await Promise.all([
      this.lessons.haveLessonTogether(senderId, recipientId),
      this.lessons.haveLessonTogether(recipientId, senderId),
    ]);
    if (asTeacher || asStudent) return;
    throw new ChatForbiddenError(
      'You can start a conversation with a published teacher, or with someone you have a lesson with',
      'input.toUserId',
      'NOT_ALLOWED',
    );
  }

  /** Blocks (or unblocks) another user: no messages either way, no presence either way. */
  async setBlocked(viewerId: string, userId: string, blocked: boolean, loaders: RequestLoaders): Promise<boolean> {
    if (userId === viewerId) throw ValidationFailedError.field('userId', 'You cannot block yourself');
    if (!(await this.users.find(loaders, userId))) throw new ChatNotFoundError('User', userId, 'userId');
    const conversation = blocked
      ? await this.ensure(viewerId, userId)
      : (await this.conversations.findByPairs([pairKeyOf(viewerId, userId)]))[0];
    if (conversation) await this.conversations.setBlocked(conversation._id, viewerId, blocked);
    return true;
  }

  /**
   * Moves the viewer's read position to `upToMessageId` (default: the newest message), never
   * backwards, and tells both participants (read receipt; the viewer's unread count).
   */
  async markRead(viewerId: string, conversationId: string, upToMessageId?: string): Promise<Conversation> {
    let conversation = await this.forParticipant(viewerId, conversationId, 'conversationId');
    let target: { seq: number; id: string | null } | null = null;
    if (upToMessageId) {
      const message = await this.messages.findById(upToMessageId);
      if (!message || message.seq < 1 || message.conversationId !== conversationId)
        throw new ChatNotFoundError('Message', upToMessageId, 'upToMessageId');
      target = { seq: message.seq, id: message._id };
    }
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const { seq } = conversation;
      const to = target ?? { seq, id: (await this.messages.findAt([{ conversationId, seq }]))[0]?._id ?? null };
      if (to.seq <= memberState(conversation, viewerId).readSeq) return conversation;
      // Unread after the new position: every position up to `seq` not holding one of the viewer's messages.
      const unread =
        to.seq >= seq ? 0 : seq - to.seq - (await this.messages.countFrom(conversationId, viewerId, to.seq, seq));
      const readAt = this.clock.now();
      const updated = await this.conversations.markRead(conversationId, viewerId, seq, {
        readSeq: to.seq,
        readMessageId: to.id,
        readAt,
        unread,
      });
      if (updated) {
        await this.publishRead(updated, viewerId);
        return updated;
      }
      conversation = await this.forParticipant(viewerId, conversationId, 'conversationId');
    }
    throw new ConflictError('Messages kept arriving; mark the conversation read again', {
      reason: 'CHANGED_CONCURRENTLY',
      field: 'conversationId',
    });
  }

  private async publishRead(conversation: Conversation, readerId: string): Promise<void> {
    const state = memberState(conversation, readerId);
    const read = { readerId, readSeq: state.readSeq, readMessageId: state.readMessageId, readAt: state.readAt! };
    await this.live.messageEvent(
      conversation.participantIds.map((userId) => ({
        userId,
        payload: {
          type: MessageEventKind.READ,
          conversationId: conversation._id,
          read,
          unreadCount: memberState(conversation, userId).unread,
        },
      })),
    );
  }

  page(viewerId: string, first: number, after?: string | null): Promise<Page<Conversation>> {
    return this.conversations.page(viewerId, first, after);
  }

  unreadTotal(viewerId: string): Promise<number> {
    return this.conversations.unreadTotal(viewerId);
  }

  /** The people who see `userId`'s presence: a conversation with them, and no block. */
  partnersOf(userId: string): Promise<string[]> {
    return this.conversations.partnersOf(userId);
  }

  /** The conversation of a pair through the request's loader (a page of users or lessons: one find). */
  byPair(loaders: RequestLoaders, a: string, b: string): Promise<Conversation | null> {
    return loaders.chatConversationsByPair.load(pairKeyOf(a, b));
  }

  /** Whether `viewerId` may see `userId`'s presence: themself, or a conversation nobody blocked. */
  async seesPresenceOf(loaders: RequestLoaders, viewerId: string, userId: string): Promise<boolean> {
    if (viewerId === userId) return true;
    const conversation = await this.byPair(loaders, viewerId, userId);
    return !!conversation && conversation.blockedBy.length === 0;
  }
}
