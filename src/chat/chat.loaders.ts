import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { LoaderFactory } from '../graphql/request-loaders';
import type { Conversation, Message } from './chat.types';
import { ConversationsRepository } from './conversations.repository';
import { MessagesRepository } from './messages.repository';
import { PresenceStore } from './presence/presence.store';
import type { PresenceState } from './presence/presence.types';

declare module '../graphql/request-loaders' {
  interface RequestLoaders {
    /** Chat messages by position (`conversationId:seq`): one MongoDB find per batch (the last messages of a page of conversations). */
    chatMessagesAt: DataLoader<string, Message | null>;
    /** Conversations by pair key (`a:b`, sorted ids): one find per batch (relations of a page of users). */
    chatConversationsByPair: DataLoader<string, Conversation | null>;
    /** Presence by user id: one Redis round trip per batch. */
    presence: DataLoader<string, PresenceState>;
  }
}

/** Registers chat's per-request loaders with the GraphQL layer. */
@Injectable()
export class ChatLoaders {
  constructor(
    factory: LoaderFactory,
    messages: MessagesRepository,
    conversations: ConversationsRepository,
    presence: PresenceStore,
  ) {
    factory.register(
      'chatMessagesAt',
      () =>
        new DataLoader<string, Message | null>(
          (keys) => {
            factory.observeBatch('chatMessagesAt', keys.length);
            return messages.findAt(
              keys.map((key) => {
                const [conversationId, seq] = key.split(':');
                return { conversationId, seq: Number(seq) };
              }),
            );
          },
          { maxBatchSize: 200 },
        ),
    );
    factory.register(
      'chatConversationsByPair',
      () =>
        new DataLoader<string, Conversation | null>(
          (keys) => {
            factory.observeBatch('chatConversationsByPair', keys.length);
            return conversations.findByPairs(keys);
          },
          { maxBatchSize: 500 },
        ),
    );
    factory.register(
      'presence',
      () =>
        new DataLoader<string, PresenceState>(
          (ids) => {
            factory.observeBatch('presence', ids.length);
            return presence.read(ids);
          },
          { maxBatchSize: 500 },
        ),
    );
  }
}
