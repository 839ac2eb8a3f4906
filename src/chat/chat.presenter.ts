import {
  type Conversation,
  EDIT_WINDOW_MS,
  type Message,
  type MessageReport,
  memberState,
  otherParticipant,
} from './chat.types';
import type { MessageEventPayload, PresencePayload, TypingPayload } from './chat-live.service';
import type { ConversationModel } from './models/conversation.model';
import type { MessageEventModel, MessageModel, MessageReportModel, TypingEventModel } from './models/message.model';
import type { PresenceEventModel, PresenceModel } from './models/presence.model';
import type { PresenceState } from './presence/presence.types';

/** Dates arrive as Date in process and as ISO strings through Redis. */
const date = (value: Date | string) => new Date(value);
const dateOrNull = (value: Date | string | null | undefined) => (value ? new Date(value) : null);

export function presentConversation(c: Conversation, viewerId: string): ConversationModel {
  const otherId = otherParticipant(c, viewerId);
  const mine = memberState(c, viewerId);
  const theirs = memberState(c, otherId);
  return {
    id: c._id,
    otherParticipantId: otherId,
    lastActivityAt: date(c.lastActivityAt),
    createdAt: date(c.createdAt),
    unreadCount: mine.unread,
    lastReadMessageId: mine.readMessageId,
    otherLastReadMessageId: theirs.readMessageId,
    otherLastReadSeq: theirs.readSeq,
    otherLastReadAt: theirs.readAt,
    blocked: c.blockedBy.length > 0,
    blockedByMe: c.blockedBy.includes(viewerId),
    lastMessageSeq: c.seq,
  };
}

export function presentMessage(m: Message, viewerId: string, cursor: string): MessageModel {
  const mine = m.senderId === viewerId;
  const createdAt = date(m.createdAt);
  return {
    id: m._id,
    conversationId: m.conversationId,
    seq: m.seq,
    senderId: m.senderId,
    clientMessageId: mine ? m.clientMessageId : null,
    text: m.text,
    lessonId: m.lessonId,
    attachmentIds: m.attachmentIds ?? [],
    automatic: m.automatic,
    createdAt,
    editedAt: dateOrNull(m.editedAt),
    deletedAt: dateOrNull(m.deletedAt),
    deleted: !!m.deletedAt,
    editableUntil: mine && !m.automatic && !m.deletedAt ? new Date(createdAt.getTime() + EDIT_WINDOW_MS) : null,
    cursor,
  };
}

export function presentMessageEvent(
  e: MessageEventPayload,
  viewerId: string,
  cursorOf: (m: Message) => string,
): MessageEventModel {
  return {
    type: e.type,
    conversationId: e.conversationId,
    message: e.message ? presentMessage(e.message, viewerId, cursorOf(e.message)) : null,
    readerId: e.read?.readerId ?? null,
    lastReadMessageId: e.read?.readMessageId ?? null,
    lastReadSeq: e.read?.readSeq ?? null,
    readAt: dateOrNull(e.read?.readAt),
    unreadCount: e.unreadCount,
  };
}

export function presentTyping(e: TypingPayload): TypingEventModel {
  return { conversationId: e.conversationId, userId: e.userId, typing: e.typing, expiresAt: date(e.expiresAt) };
}

export function presentPresence(p: PresenceState): PresenceModel {
  return { status: p.status, lastSeenAt: dateOrNull(p.lastSeenAt) };
}

export function presentPresenceEvent(p: PresencePayload): PresenceEventModel {
  return { userId: p.userId, status: p.status, lastSeenAt: dateOrNull(p.lastSeenAt) };
}

export function presentReport(r: MessageReport): MessageReportModel {
  return {
    id: r._id,
    messageId: r.messageId,
    conversationId: r.conversationId,
    reporterId: r.reporterId,
    authorId: r.authorId,
    reason: r.reason,
    text: r.text,
    createdAt: date(r.createdAt),
  };
}
