import type { PresenceStatus } from './presence/presence.types';

/**
 * `message.sent`: what a later notifications feature needs to e-mail a recipient who is offline,
 * without reading chat's storage. Raised for every stored message (automatic lesson cards too,
 * marked `automatic`: the lesson events already tell about those).
 */
export interface MessageSentPayload {
  messageId: string;
  conversationId: string;
  senderId: string;
  senderName: string;
  recipientId: string;
  /** The beginning of the text as written (plain text, never markup; at most 280 characters). */
  preview: string;
  lessonId: string | null;
  /** How many files the message carries. */
  attachmentCount: number;
  automatic: boolean;
  sentAt: string;
  /**
   * The recipient's presence when the message was stored. A mail should be decided on the
   * presence at delivery time (ChatPresence.statusOf), after any delay the consumer chooses.
   */
  recipientPresence: PresenceStatus;
}

/** `message.deleted`: its author deleted a message; its attachments are deleted through the outbox. */
export interface MessageDeletedPayload {
  messageId: string;
  conversationId: string;
  senderId: string;
  attachmentIds: string[];
}

// Chat adds its event to the typed map (src/events knows no feature).
declare module '../events/domain-events' {
  interface DomainEventMap {
    'message.sent': MessageSentPayload;
    'message.deleted': MessageDeletedPayload;
  }
}

export const PREVIEW_LENGTH = 280;
