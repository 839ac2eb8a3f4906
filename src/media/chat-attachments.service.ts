import { Injectable } from '@nestjs/common';
import { Clock, NotFoundError } from '@app/common';
import type { RequestLoaders } from '../graphql/request-loaders';
import { type ConversationMembership, MediaAccessService } from './media-access.service';
import { mediaNotUsable } from './media.errors';
import { MediaRemovalService } from './media-removal.service';
import { MediaRepository } from './media.repository';
import { type Media, MediaPurpose, MediaStatus } from './media.types';

/** The most files one message carries. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/**
 * What the chat feature does with files: checks and binds the CHAT_ATTACHMENT uploads of a message
 * to its conversation (whose two participants may then see them), shows them, and removes them
 * with a deleted message. Chat decides who may read a message; media owns the files.
 */
@Injectable()
export class ChatAttachmentsService {
  constructor(
    private readonly media: MediaRepository,
    private readonly removal: MediaRemovalService,
    private readonly access: MediaAccessService,
    private readonly clock: Clock,
  ) {}

  /** Chat's rule for who sees an attachment: the participants of its conversation. */
  useConversationMembership(membership: ConversationMembership): void {
    this.access.useConversationMembership(membership);
  }

  /**
   * Each id must be a READY CHAT_ATTACHMENT upload of the sender, not sent in another
   * conversation (`conversationId` null: a first message, no conversation yet). NOT_FOUND for an
   * id that is missing or someone else's (the same answer), CONFLICT MEDIA_NOT_USABLE otherwise.
   */
  async check(senderId: string, ids: readonly string[], conversationId: string | null, field: string): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.media.findByIds(ids);
    found.forEach((media, i) => {
      if (!media || media.ownerId !== senderId) throw new NotFoundError('Media', ids[i]);
      if (media.purpose !== MediaPurpose.CHAT_ATTACHMENT) {
        throw mediaNotUsable(field, `media ${media.id} was uploaded as ${media.purpose}; this needs CHAT_ATTACHMENT`);
      }
      if (media.status !== MediaStatus.READY) {
        throw mediaNotUsable(field, `media ${media.id} is ${media.status}; send it once it is READY`, media.status);
      }
      const boundTo = media.context.conversationId;
      if (boundTo && boundTo !== conversationId) {
        throw mediaNotUsable(field, `media ${media.id} was sent in another conversation; upload it again`);
      }
    });
  }

  /**
   * Binds the checked attachments to the conversation, before the message is stored (a bound file
   * whose message then failed is harmless: only the two participants could see it, and the
   * sender can send it again there). MEDIA_NOT_USABLE when one changed since `check`.
   */
  async bind(senderId: string, ids: readonly string[], conversationId: string, field: string): Promise<void> {
    if (ids.length === 0) return;
    const bound = await this.media.bindToConversation(ids, senderId, conversationId, this.clock.now());
    if (bound < new Set(ids).size) {
      throw mediaNotUsable(field, 'an attachment was deleted or sent elsewhere meanwhile; check the attachments');
    }
  }

  /** The attachments still there and READY, in the message's order; one loader batch for a page of messages. */
  async shown(loaders: RequestLoaders, ids: readonly string[]): Promise<Media[]> {
    if (ids.length === 0) return [];
    const found = await Promise.all(ids.map((id) => loaders.media.load(id)));
    return found.filter((m): m is Media => !!m && m.status === MediaStatus.READY);
  }

  /** Removes the files of a deleted message (idempotent: the outbox may deliver twice). */
  async remove(ownerId: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.removal.remove(id, ownerId);
  }
}
