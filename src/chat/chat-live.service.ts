import { Injectable } from '@nestjs/common';
import { SubscriptionFanout } from '../realtime/subscription-fanout';
import type { Message } from './chat.types';
import type { PresenceStatus } from './presence/presence.types';

export enum MessageEventKind {
  ADDED = 'ADDED',
  EDITED = 'EDITED',
  DELETED = 'DELETED',
  READ = 'READ',
}

/**
 * What travels on a user's message channel. Through Redis it is JSON: dates arrive as ISO
 * strings (the presenters accept both).
 */
export interface MessageEventPayload {
  type: MessageEventKind;
  conversationId: string;
  message?: Message;
  read?: { readerId: string; readSeq: number; readMessageId: string | null; readAt: Date | string };
  /** The receiving user's unread count in this conversation after the event. */
  unreadCount: number;
}

export interface TypingPayload {
  conversationId: string;
  userId: string;
  typing: boolean;
  expiresAt: Date | string;
}

export interface PresencePayload {
  userId: string;
  status: PresenceStatus;
  lastSeenAt: Date | string | null;
}

const messageChannel = (userId: string) => `chat.messages.${userId}`;
const typingChannel = (conversationId: string) => `chat.typing.${conversationId}`;
const presenceChannel = (userId: string) => `chat.presence.${userId}`;

/**
 * The live side of chat, on the subscription fan-out (Redis across instances): one message
 * channel and one presence channel per user, one typing channel per conversation. Everything is
 * published to the participants' own channels only, so nobody else can hear it. At most once:
 * the change itself is stored; a client that missed events catches up with `messages(after:)`.
 */
@Injectable()
export class ChatLive {
  constructor(private readonly bus: SubscriptionFanout) {}

  async messageEvent(deliveries: Array<{ userId: string; payload: MessageEventPayload }>): Promise<void> {
    await Promise.all(deliveries.map((d) => this.bus.notify(messageChannel(d.userId), d.payload)));
  }

  async typing(payload: TypingPayload): Promise<void> {
    await this.bus.notify(typingChannel(payload.conversationId), payload);
  }

  async presence(toUserIds: readonly string[], payload: PresencePayload): Promise<void> {
    await Promise.all(toUserIds.map((id) => this.bus.notify(presenceChannel(id), payload)));
  }

  messageEvents(userId: string): AsyncIterableIterator<MessageEventPayload> {
    return this.bus.subscribe<MessageEventPayload>(messageChannel(userId));
  }

  typingIn(conversationId: string): AsyncIterableIterator<TypingPayload> {
    return this.bus.subscribe<TypingPayload>(typingChannel(conversationId));
  }

  presenceFor(userId: string): AsyncIterableIterator<PresencePayload> {
    return this.bus.subscribe<PresencePayload>(presenceChannel(userId));
  }
}
