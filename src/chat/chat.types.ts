/** A conversation between two users as the chat services see it (one per pair of users). */
export interface Conversation {
  _id: string;
  /** `<smaller id>:<larger id>`: unique, so a pair never has two conversations. */
  pairKey: string;
  /** The two participants, sorted. */
  participantIds: string[];
  /**
   * The highest position placed (its message is the last one); 0 before the first message. Every
   * position from 1 to here holds a message (see MessagesRepository.place).
   */
  seq: number;
  lastActivityAt: Date;
  createdAt: Date;
  /** Who has blocked the other: while anyone has, nobody writes and neither sees the other's presence. */
  blockedBy: string[];
  /** Read state of each participant, by user id. */
  members: Record<string, MemberState>;
}

export interface MemberState {
  /** Position of the last message this member has read (0: none). */
  readSeq: number;
  readMessageId: string | null;
  readAt: Date | null;
  /** Messages from the other participant after `readSeq` (tombstones included). */
  unread: number;
}

/**
 * One message. Its position in the conversation is `seq` (1, 2, ...); negative while the message
 * is pending (stored under its client message id, not yet placed). `_id` is a ULID assigned by
 * the server.
 */
export interface Message {
  _id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  /** The sender's idempotency key: a retry with it never stores a second message. */
  clientMessageId: string;
  /** Stored as written; never interpreted as markup. Empty for a deleted message. */
  text: string;
  /** A lesson card: the lesson is shown as it is now, not as it was when the message was sent. */
  lessonId: string | null;
  /** CHAT_ATTACHMENT media of the sender, in order; emptied when the message is deleted. */
  attachmentIds: string[];
  /** Posted by the server on the sender's behalf (the card of a lesson request). */
  automatic: boolean;
  /** When it was placed (for a pending message: when it was claimed). */
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** A report of a message to the moderators. */
export interface MessageReport {
  _id: string;
  messageId: string;
  conversationId: string;
  reporterId: string;
  authorId: string;
  reason: string;
  /** The text when it was reported (the author may delete it afterwards). */
  text: string;
  createdAt: Date;
}

/** Authors may edit or delete a message this long after sending it. */
export const EDIT_WINDOW_MS = 15 * 60_000;

export function pairKeyOf(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

export function otherParticipant(conversation: Pick<Conversation, 'participantIds'>, userId: string): string {
  return conversation.participantIds[0] === userId ? conversation.participantIds[1] : conversation.participantIds[0];
}

export function memberState(conversation: Conversation, userId: string): MemberState {
  const m = conversation.members?.[userId];
  return {
    readSeq: m?.readSeq ?? 0,
    readMessageId: m?.readMessageId ?? null,
    readAt: m?.readAt ? new Date(m.readAt) : null,
    unread: Math.max(0, m?.unread ?? 0),
  };
}
