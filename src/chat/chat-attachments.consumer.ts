import { Injectable } from '@nestjs/common';
import { OutboxConsumers } from '../events/outbox-consumers';
import { ChatAttachmentsService } from '../media/chat-attachments.service';
import { ConversationsRepository } from './conversations.repository';
import { MessagesRepository } from './messages.repository';

/**
 * Chat's side of attachments: tells media who may see a file sent in a conversation (its two
 * participants), and deletes the files of a deleted message that no other message carries (durable, idempotent; an event
 * whose deletion did not happen, after a crash, finds the message intact and removes nothing).
 */
@Injectable()
export class ChatAttachmentsConsumer {
  constructor(
    consumers: OutboxConsumers,
    attachments: ChatAttachmentsService,
    conversations: ConversationsRepository,
    messages: MessagesRepository,
  ) {
    attachments.useConversationMembership(async (conversationId, userId) => {
      const conversation = await conversations.findById(conversationId);
      return !!conversation?.participantIds.includes(userId);
    });
    consumers.register('chat.attachment-removal', ['message.deleted'], async ({ payload }) => {
      if (payload.attachmentIds.length === 0) return;
      const message = await messages.findById(payload.messageId);
      if (message && !message.deletedAt) return;
      const inUse = await messages.attachmentsInUse(payload.attachmentIds);
      await attachments.remove(
        payload.senderId,
        payload.attachmentIds.filter((id) => !inUse.has(id)),
      );
    });
  }
}
