import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../graphql/graphql-context';
import { presentLesson } from '../bookings/lesson.presenter';
import { LessonQueriesService } from '../bookings/lesson-queries.service';
import { LessonModel } from '../bookings/models/lesson.model';
import { UserModel } from '../users/models/user.model';
import { presentUser } from '../users/user.presenter';
import { UsersService } from '../users/users.service';
import { ChatAttachmentsService } from '../media/chat-attachments.service';
import { presentMedia } from '../media/media.presenter';
import { MediaModel } from '../media/models/media.model';
import { presentMessage, presentPresence } from './chat.presenter';
import { MessagesService } from './messages.service';
import { ConversationModel } from './models/conversation.model';
import { MessageModel, MessageReportModel } from './models/message.model';
import { PresenceModel } from './models/presence.model';

/**
 * Everything here goes through the request's loaders: a page costs a constant number of store calls.
 * The field resolvers take graphql-js's (parent, args, context) without parameter decorators, so
 * they are called directly (see LessonsResolver.teacher).
 */
async function userOrNull(users: UsersService, ctx: GraphQLContext, id: string): Promise<UserModel | null> {
  const user = await users.find(ctx.loaders, id);
  return user ? presentUser(user, ctx.viewer) : null;
}

@Resolver(() => ConversationModel)
export class ConversationFieldsResolver {
  constructor(
    private readonly users: UsersService,
    private readonly messages: MessagesService,
  ) {}

  @ResolveField(() => UserModel, { nullable: true, description: 'Null when the account no longer exists.' })
  otherParticipant(c: ConversationModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel | null> {
    return userOrNull(this.users, ctx, c.otherParticipantId);
  }

  @ResolveField(() => MessageModel, { nullable: true, description: 'The newest message (null: none yet).' })
  async lastMessage(c: ConversationModel, _args: unknown, ctx: GraphQLContext): Promise<MessageModel | null> {
    if (c.lastMessageSeq < 1) return null;
    const message = await ctx.loaders.chatMessagesAt.load(`${c.id}:${c.lastMessageSeq}`);
    if (!message) return null;
    return presentMessage(message, ctx.viewer!.userId, this.messages.cursorOf(message));
  }

  @ResolveField(() => PresenceModel, {
    nullable: true,
    description: "The other participant's presence; null while either has blocked the other.",
  })
  async presence(c: ConversationModel, _args: unknown, ctx: GraphQLContext): Promise<PresenceModel | null> {
    if (c.blocked) return null;
    return presentPresence(await ctx.loaders.presence.load(c.otherParticipantId));
  }
}

@Resolver(() => MessageModel)
export class MessageFieldsResolver {
  constructor(
    private readonly users: UsersService,
    private readonly lessons: LessonQueriesService,
    private readonly chatAttachments: ChatAttachmentsService,
  ) {}

  @ResolveField(() => UserModel, { nullable: true, description: 'Null when the account no longer exists.' })
  sender(m: MessageModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel | null> {
    return userOrNull(this.users, ctx, m.senderId);
  }

  @ResolveField(() => LessonModel, {
    nullable: true,
    description: 'The lesson card: the lesson as it is now (status, time), not a copy; null if not a card.',
  })
  async lesson(m: MessageModel, _args: unknown, ctx: GraphQLContext): Promise<LessonModel | null> {
    if (!m.lessonId) return null;
    const lesson = await this.lessons.load(ctx.loaders, m.lessonId);
    return lesson ? presentLesson(lesson) : null;
  }

  @ResolveField(() => [MediaModel], {
    description:
      'Files sent with it, in order, once READY (their URLs are short-lived: ask again for new ones); empty when deleted.',
  })
  async attachments(m: MessageModel, _args: unknown, ctx: GraphQLContext): Promise<MediaModel[]> {
    const shown = await this.chatAttachments.shown(ctx.loaders, m.attachmentIds);
    return shown.map(presentMedia);
  }
}

@Resolver(() => MessageReportModel)
export class MessageReportFieldsResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => UserModel, { nullable: true, description: 'Who reported it; null when the account is gone.' })
  reporter(r: MessageReportModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel | null> {
    return userOrNull(this.users, ctx, r.reporterId);
  }

  @ResolveField(() => UserModel, { nullable: true, description: 'Who wrote it; null when the account is gone.' })
  author(r: MessageReportModel, _args: unknown, ctx: GraphQLContext): Promise<UserModel | null> {
    return userOrNull(this.users, ctx, r.authorId);
  }
}
