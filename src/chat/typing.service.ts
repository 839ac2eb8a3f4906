import { Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { ChatForbiddenError } from './chat.errors';
import { ChatLive } from './chat-live.service';
import { ConversationsService } from './conversations.service';
import { PresenceService } from './presence/presence.service';

/** A typing indicator is shown this long unless renewed (clients renew while the user types). */
export const TYPING_SHOWN_MS = 6_000;
/** The same indicator (user, conversation, typing or not) is published at most once per this. */
export const TYPING_THROTTLE_MS = 2_000;

/**
 * Typing indicators: ephemeral, never stored, published to the conversation's typing channel,
 * throttled per user and conversation on each instance (a repeat inside the throttle window
 * costs no store call and publishes nothing).
 */
@Injectable()
export class TypingService {
  private readonly lastSent = new Map<string, { typing: boolean; at: number }>();

  constructor(
    private readonly conversations: ConversationsService,
    private readonly presence: PresenceService,
    private readonly live: ChatLive,
    private readonly clock: Clock,
  ) {}

  async set(userId: string, conversationId: string, typing: boolean): Promise<boolean> {
    const now = this.clock.now().getTime();
    const key = `${userId}:${conversationId}`;
    const last = this.lastSent.get(key);
    if (last && last.typing === typing && now - last.at < TYPING_THROTTLE_MS) return true;
    const conversation = await this.conversations.forParticipant(userId, conversationId, 'conversationId');
    if (conversation.blockedBy.length)
      throw new ChatForbiddenError('One of you has blocked the other', 'conversationId', 'BLOCKED');
    this.remember(key, typing, now);
    await this.live.typing({ conversationId, userId, typing, expiresAt: new Date(now + TYPING_SHOWN_MS) });
    this.presence.touch(userId);
    return true;
  }

  private remember(key: string, typing: boolean, now: number): void {
    this.lastSent.set(key, { typing, at: now });
    if (this.lastSent.size <= 10_000) return;
    for (const [k, v] of this.lastSent) if (now - v.at >= TYPING_THROTTLE_MS) this.lastSent.delete(k);
  }
}
