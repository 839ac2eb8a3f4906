import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import {
  Clock,
  ConflictError,
  DEFAULT_PAGE_SIZE,
  type FieldProblem,
  type Page,
  ValidationFailedError,
} from '@app/common';
import type { Viewer } from '../auth/viewer';
import { LessonQueriesService } from '../bookings/lesson-queries.service';
import { AppConfig } from '../config/app-config';
import { DomainEvents, type RecordedEvent } from '../events/domain-events.service';
import type { RequestLoaders } from '../graphql/request-loaders';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { ChatAttachmentsService } from '../media/chat-attachments.service';
import { EmailNotVerifiedError } from '../users/account-requirements';
import { UsersService } from '../users/users.service';
import {
  type Conversation,
  EDIT_WINDOW_MS,
  type Message,
  type MessageReport,
  memberState,
  otherParticipant,
} from './chat.types';
import {
  alreadyDeleted,
  automaticMessage,
  ChatForbiddenError,
  ChatNotFoundError,
  ClientMessageIdTaken,
  clientMessageIdReused,
  editWindowClosed,
} from './chat.errors';
import { PREVIEW_LENGTH } from './chat.events';
import { ChatLive, MessageEventKind } from './chat-live.service';
import { ConversationsService } from './conversations.service';
import { isBlank } from './dto/chat-text';
import { MessagesArgs, SendMessageInput } from './dto/chat.inputs';
import { MessageReportsRepository } from './message-reports.repository';
import { MessagesRepository, type MessageWindow, pendingSeq, type WindowRequest } from './messages.repository';
import { ConversationsRepository } from './conversations.repository';
import { PresenceService } from './presence/presence.service';

/** Where attachment problems of sendMessage point. */
const ATTACHMENTS_FIELD = 'input.attachmentIds';

/** How long a retry waits for a first send with the same client message id that is still being placed. */
const IN_PROGRESS_WAIT_MS = 2_000;
const IN_PROGRESS_POLL_MS = 50;

/** What a message carries besides its text. */
interface Content {
  clientMessageId: string;
  text: string;
  lessonId: string | null;
  attachmentIds: string[];
}

/**
 * Messages: sending (idempotent by client message id, rate limited, in one order per
 * conversation), editing and deleting within 15 minutes (a deleted message stays as a tombstone),
 * paging both ways, reports. Every stored message raises `message.sent` and reaches both
 * participants live.
 */
@Injectable()
export class MessagesService {
  /** A pending message older than this was abandoned by its request (it crashed); a retry takes it over. */
  private readonly abandonedAfterMs: number;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly conversationsStore: ConversationsRepository,
    private readonly reports: MessageReportsRepository,
    private readonly conversations: ConversationsService,
    private readonly presence: PresenceService,
    private readonly lessons: LessonQueriesService,
    private readonly users: UsersService,
    private readonly events: DomainEvents,
    private readonly live: ChatLive,
    private readonly rateLimits: RateLimiterService,
    private readonly attachments: ChatAttachmentsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.abandonedAfterMs = 2 * config.STORE_TIMEOUT_MS + 1000;
  }

  async send(loaders: RequestLoaders, viewer: Viewer, input: SendMessageInput): Promise<Message> {
    if (viewer.emailVerified === false) throw new EmailNotVerifiedError('write to anyone');
    const senderId = viewer.userId;
    const content: Content = {
      clientMessageId: input.clientMessageId,
      text: input.text ?? '',
      lessonId: input.lessonId ?? null,
      attachmentIds: input.attachmentIds ?? [],
    };
    const earlier = await this.messages.findByClientId(senderId, content.clientMessageId);
    if (earlier) return this.replay(loaders, earlier, input, content);
    const field = input.conversationId ? 'input.conversationId' : 'input.toUserId';
    await this.rateLimits.consume(
      `chat-send:${senderId}`,
      this.config.CHAT_SEND_RATE_LIMIT,
      this.config.CHAT_SEND_RATE_WINDOW_SECONDS,
    );
    const target = await this.conversations.target(loaders, senderId, input);
    if (target.conversation?.blockedBy.length) throw blocked(field);
    // Every check before anything is written: bad input stores nothing, not even a conversation.
    const problems: FieldProblem[] = [
      ...(await this.lessonProblems(loaders, content.lessonId, senderId, target.recipientId)),
    ];
    if (problems.length) throw new ValidationFailedError(problems);
    const { attachmentIds } = content;
    await this.attachments.check(senderId, attachmentIds, target.conversation?._id ?? null, ATTACHMENTS_FIELD);
    const conversation = target.conversation ?? (await this.conversations.ensure(senderId, target.recipientId));
    await this.attachments.bind(senderId, attachmentIds, conversation._id, ATTACHMENTS_FIELD);
    const message = await this.store(loaders, conversation, senderId, content, false);
    this.presence.touch(senderId);
    return message;
  }

  /**
   * The card of a lesson request in the conversation of its teacher and student (created if
   * needed), posted on the student's behalf; a weekly series gets one card. Idempotent (outbox
   * deliveries repeat), and nothing is posted while either has blocked the other.
   */
  async postLessonCard(
    loaders: RequestLoaders,
    lesson: { lessonId: string; teacherId: string; studentId: string; seriesId?: string },
  ): Promise<Message | null> {
    const clientMessageId = `lesson-card:${lesson.seriesId ?? lesson.lessonId}`;
    const earlier = await this.messages.findByClientId(lesson.studentId, clientMessageId);
    if (earlier) return earlier.seq > 0 ? earlier : this.firstSend(loaders, lesson.studentId, clientMessageId);
    const conversation = await this.conversations.ensure(lesson.studentId, lesson.teacherId);
    if (conversation.blockedBy.length) return null;
    const content = { clientMessageId, text: '', lessonId: lesson.lessonId, attachmentIds: [] };
    return this.store(loaders, conversation, lesson.studentId, content, true);
  }

  /**
   * Stores a message in two steps: (1) under its client message id with no position yet
   * (pending): the unique id makes this the claim, so a racing retry waits for the first send
   * instead of sending twice; (2) places it at the next free position (MessagesRepository.place),
   * then moves the conversation on. `message.sent` is recorded ahead of (2) (MongoDB has no
   * transaction with the outbox) and published after it.
   */
  private async store(
    loaders: RequestLoaders,
    conversation: Conversation,
    senderId: string,
    content: Content,
    automatic: boolean,
  ): Promise<Message> {
    const claimedAt = this.clock.now();
    const pending: Message = {
      _id: ulid(),
      conversationId: conversation._id,
      seq: pendingSeq(claimedAt),
      senderId,
      ...content,
      automatic,
      createdAt: claimedAt,
      editedAt: null,
      deletedAt: null,
    };
    try {
      await this.messages.insertPending(pending);
    } catch (err) {
      if (err instanceof ClientMessageIdTaken) return this.firstSend(loaders, senderId, content.clientMessageId);
      throw err;
    }
    return this.place(loaders, conversation, pending);
  }

  /** Step (2) for a pending message; on failure the pending message goes, so a retry starts over. */
  private async place(loaders: RequestLoaders, conversation: Conversation, pending: Message): Promise<Message> {
    const { senderId } = pending;
    const recipientId = otherParticipant(conversation, senderId);
    const [sender, [recipientPresence]] = await Promise.all([
      this.users.find(loaders, senderId),
      this.presence.read([recipientId]),
    ]);
    let sent: RecordedEvent | undefined;
    let placed: Message | null;
    try {
      sent = await this.events.recordAhead('message.sent', {
        messageId: pending._id,
        conversationId: conversation._id,
        senderId,
        senderName: sender?.displayName ?? '',
        recipientId,
        preview: [...pending.text].slice(0, PREVIEW_LENGTH).join(''),
        lessonId: pending.lessonId,
        attachmentCount: pending.attachmentIds.length,
        automatic: pending.automatic,
        sentAt: this.clock.now().toISOString(),
        recipientPresence: recipientPresence.status,
      });
      // Every position up to the conversation's highest is taken: start right above it.
      placed = await this.messages.place(pending, conversation.seq + 1, () => this.clock.now());
      if (!placed) throw new Error(`pending message ${pending._id} was placed by another request`);
    } catch (err) {
      if (sent) await this.events.discard(sent);
      await this.messages.removePending(pending._id, pending.seq).catch(() => undefined);
      throw err;
    }
    const after = await this.conversationsStore.recordPlaced(
      conversation._id,
      recipientId,
      placed.seq,
      placed.createdAt,
    );
    this.events.publish(sent);
    await this.publish(MessageEventKind.ADDED, after ?? conversation, placed);
    return placed;
  }

  /**
   * The message of the first send with this client message id: at once when it is placed; a
   * moment later when it is still being placed; taken over when its request died before placing
   * it (pending for longer than any placing takes).
   */
  private async firstSend(loaders: RequestLoaders, senderId: string, clientMessageId: string): Promise<Message> {
    const deadline = this.clock.now().getTime() + IN_PROGRESS_WAIT_MS;
    for (;;) {
      const first = await this.messages.findByClientId(senderId, clientMessageId);
      if (!first)
        throw new ConflictError('The first send with this clientMessageId failed; retry', {
          reason: 'SEND_FAILED',
          field: 'input.clientMessageId',
        });
      if (first.seq > 0) return first;
      if (this.clock.now().getTime() - new Date(first.createdAt).getTime() > this.abandonedAfterMs) {
        const conversation = await this.conversations.forParticipant(
          senderId,
          first.conversationId,
          'input.conversationId',
        );
        return this.place(loaders, conversation, first);
      }
      if (this.clock.now().getTime() >= deadline)
        throw new ConflictError('The first send with this clientMessageId is still in progress; retry shortly', {
          reason: 'SEND_IN_PROGRESS',
          field: 'input.clientMessageId',
        });
      await new Promise((resolve) => setTimeout(resolve, IN_PROGRESS_POLL_MS));
    }
  }

  /**
   * A retry: the stored message, if it is the same message (a deleted one is its tombstone);
   * CONFLICT if the client message id was used for another message.
   */
  private async replay(
    loaders: RequestLoaders,
    earlier: Message,
    input: SendMessageInput,
    content: Content,
  ): Promise<Message> {
    const sameTarget = input.conversationId
      ? input.conversationId === earlier.conversationId
      : (await this.conversationsStore.findById(earlier.conversationId))?.participantIds.includes(input.toUserId!);
    const sameContent =
      !!earlier.deletedAt ||
      (earlier.text === content.text &&
        earlier.lessonId === content.lessonId &&
        sameList(earlier.attachmentIds ?? [], content.attachmentIds));
    if (!sameTarget || !sameContent) throw clientMessageIdReused();
    return earlier.seq > 0 ? earlier : this.firstSend(loaders, earlier.senderId, earlier.clientMessageId);
  }

  async edit(viewer: Viewer, id: string, text: string): Promise<Message> {
    const { message, conversation } = await this.authored(viewer, id, 'edited');
    if (isBlank(text) && !message.lessonId && !message.attachmentIds?.length)
      throw ValidationFailedError.field('text', 'a message needs text, a lesson or an attachment');
    const edited = await this.messages.setText(id, text, this.clock.now());
    if (!edited) throw alreadyDeleted('id');
    await this.publish(MessageEventKind.EDITED, conversation, edited);
    return edited;
  }

  /**
   * Leaves a tombstone. Its attachments go with it: `message.deleted` is recorded ahead of the
   * change (MongoDB has no transaction with the outbox) and ChatAttachmentsConsumer deletes the files.
   */
  async delete(viewer: Viewer, id: string): Promise<Message> {
    const { message, conversation } = await this.authored(viewer, id, 'deleted');
    const deleted = await this.events.recordAhead('message.deleted', {
      messageId: id,
      conversationId: conversation._id,
      senderId: message.senderId,
      attachmentIds: message.attachmentIds ?? [],
    });
    const tombstone = await this.messages.tombstone(id, this.clock.now()).catch(async (err: unknown) => {
      await this.events.discard(deleted);
      throw err;
    });
    if (!tombstone) {
      await this.events.discard(deleted);
      throw alreadyDeleted('id');
    }
    this.events.publish(deleted);
    await this.publish(MessageEventKind.DELETED, conversation, tombstone);
    return tombstone;
  }

  /** A message of the viewer's, still inside its 15 minutes. */
  private async authored(viewer: Viewer, id: string, action: 'edited' | 'deleted') {
    const message = await this.visibleMessage(id, 'id');
    const conversation = await this.conversations.forParticipant(viewer.userId, message.conversationId, 'id');
    if (message.senderId !== viewer.userId)
      throw new ChatForbiddenError(`Only its author may change a message`, 'id', 'NOT_AUTHOR');
    if (message.automatic) throw automaticMessage('id');
    if (message.deletedAt) throw alreadyDeleted('id');
    if (this.clock.now().getTime() - new Date(message.createdAt).getTime() > EDIT_WINDOW_MS)
      throw editWindowClosed('id', action);
    return { message, conversation };
  }

  /** A window of the viewer's conversation (newest, newer than `after`, or older than `before`). */
  async window(viewer: Viewer, args: MessagesArgs): Promise<MessageWindow> {
    await this.conversations.forParticipant(viewer.userId, args.conversationId, 'conversationId');
    const request: WindowRequest = args.after
      ? { kind: 'after', cursor: args.after, limit: args.first ?? DEFAULT_PAGE_SIZE }
      : args.before
        ? { kind: 'before', cursor: args.before, limit: args.last ?? DEFAULT_PAGE_SIZE }
        : { kind: 'latest', limit: args.last ?? args.first ?? DEFAULT_PAGE_SIZE };
    return this.messages.window(args.conversationId, request);
  }

  cursorOf(message: Message): string {
    return this.messages.cursorOf(message);
  }

  /** A participant reports the other's message to the moderators (once; repeating changes nothing). */
  async report(viewer: Viewer, messageId: string, reason: string): Promise<MessageReport> {
    const message = await this.visibleMessage(messageId, 'messageId');
    await this.conversations.forParticipant(viewer.userId, message.conversationId, 'messageId');
    if (message.senderId === viewer.userId)
      throw ValidationFailedError.field('messageId', 'You cannot report your own message');
    return this.reports.insertOnce({
      _id: ulid(),
      messageId,
      conversationId: message.conversationId,
      reporterId: viewer.userId,
      authorId: message.senderId,
      reason,
      text: message.text,
      createdAt: this.clock.now(),
    });
  }

  reportsPage(first: number, after?: string | null): Promise<Page<MessageReport>> {
    return this.reports.page(first, after);
  }

  private async visibleMessage(id: string, field: string): Promise<Message> {
    const message = await this.messages.findById(id);
    if (!message || message.seq < 1) throw new ChatNotFoundError('Message', id, field);
    return message;
  }

  /** A lesson card must show a lesson of these two people. */
  private async lessonProblems(
    loaders: RequestLoaders,
    lessonId: string | null,
    senderId: string,
    recipientId: string,
  ): Promise<FieldProblem[]> {
    if (!lessonId) return [];
    const lesson = await this.lessons.load(loaders, lessonId);
    const between =
      !!lesson &&
      ((lesson.teacherId === senderId && lesson.studentId === recipientId) ||
        (lesson.teacherId === recipientId && lesson.studentId === senderId));
    return between
      ? []
      : [{ field: 'input.lessonId', message: 'lessonId is not a lesson between you and the recipient' }];
  }

  /** Both participants hear of it on their own channel, each with their unread count. */
  private async publish(type: MessageEventKind, conversation: Conversation, message: Message): Promise<void> {
    await this.live.messageEvent(
      conversation.participantIds.map((userId) => ({
        userId,
        payload: {
          type,
          conversationId: conversation._id,
          message,
          unreadCount: memberState(conversation, userId).unread,
        },
      })),
    );
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function blocked(field: string): ChatForbiddenError {
  return new ChatForbiddenError('One of you has blocked the other: no messages can be sent', field, 'BLOCKED');
}
