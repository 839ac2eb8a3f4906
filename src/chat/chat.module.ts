import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { MediaModule } from '../media/media.module';
import { AppConfig } from '../config/app-config';
import { RedisStore } from '../stores/redis.store';
import { TeachersModule } from '../teachers/teachers.module';
import { UsersModule } from '../users/users.module';
import { ConversationFieldsResolver, MessageFieldsResolver, MessageReportFieldsResolver } from './chat-fields.resolver';
import { ChatUserFieldsResolver, LessonConversationResolver } from './chat-related-fields.resolver';
import { ChatAttachmentsConsumer } from './chat-attachments.consumer';
import { ChatLive } from './chat-live.service';
import { ChatLoaders } from './chat.loaders';
import { ChatResolver } from './chat.resolver';
import { ChatSubscriptionsResolver } from './chat-subscriptions.resolver';
import { ConversationDoc, ConversationSchema } from './conversation.schema';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { LessonCardsConsumer } from './lesson-cards.consumer';
import { MessageDoc, MessageSchema } from './message.schema';
import { MessageReportDoc, MessageReportSchema } from './message-report.schema';
import { MessageReportsRepository } from './message-reports.repository';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { MemoryPresenceRepository } from './presence/presence-memory.repository';
import { RedisPresenceRepository } from './presence/presence-redis.repository';
import { PresenceService } from './presence/presence.service';
import { PresenceStore } from './presence/presence.store';
import { TypingService } from './typing.service';

/** Conversations, messages, typing and presence (README "Chat, for client developers"). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ConversationDoc.name, schema: ConversationSchema },
      { name: MessageDoc.name, schema: MessageSchema },
      { name: MessageReportDoc.name, schema: MessageReportSchema },
    ]),
    AuthModule,
    UsersModule,
    TeachersModule,
    BookingsModule,
    MediaModule,
  ],
  providers: [
    {
      provide: PresenceStore,
      inject: [RedisStore, AppConfig],
      useFactory: (redis: RedisStore, config: AppConfig) => {
        const timings = {
          ttlMs: config.PRESENCE_TTL_SECONDS * 1000,
          awayMs: config.PRESENCE_AWAY_SECONDS * 1000,
          graceMs: config.PRESENCE_GRACE_SECONDS * 1000,
        };
        return redis.client
          ? new RedisPresenceRepository(redis, timings, config.DYNAMODB_TABLE)
          : new MemoryPresenceRepository(timings);
      },
    },
    ChatAttachmentsConsumer,
    ChatLive,
    ChatLoaders,
    ConversationsRepository,
    ConversationsService,
    LessonCardsConsumer,
    MessageReportsRepository,
    MessagesRepository,
    MessagesService,
    PresenceService,
    TypingService,
    ChatResolver,
    ChatSubscriptionsResolver,
    ConversationFieldsResolver,
    MessageFieldsResolver,
    MessageReportFieldsResolver,
    ChatUserFieldsResolver,
    LessonConversationResolver,
  ],
  exports: [PresenceService],
})
export class ChatModule {}
