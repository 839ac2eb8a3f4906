import { Int, ResolveField, Resolver } from '@nestjs/graphql';
import { LessonModel } from '../bookings/models/lesson.model';
import type { GraphQLContext } from '../graphql/graphql-context';
import { UserModel } from '../users/models/user.model';
import { presentConversation, presentPresence } from './chat.presenter';
import { ConversationsService } from './conversations.service';
import { ConversationModel } from './models/conversation.model';
import { PresenceModel } from './models/presence.model';

/** Chat's fields on users: presence (for related people) and the unread total (on `me`). */
@Resolver(() => UserModel)
export class ChatUserFieldsResolver {
  constructor(private readonly conversations: ConversationsService) {}

  @ResolveField(() => PresenceModel, {
    nullable: true,
    description:
      'Online presence: for the user themself and for people who share a conversation with them (no block); null for everyone else.',
  })
  async presence(user: UserModel, _args: unknown, ctx: GraphQLContext): Promise<PresenceModel | null> {
    const viewerId = ctx.viewer?.userId;
    if (!viewerId || !(await this.conversations.seesPresenceOf(ctx.loaders, viewerId, user.id))) return null;
    return presentPresence(await ctx.loaders.presence.load(user.id));
  }

  @ResolveField(() => Int, {
    nullable: true,
    description: 'Unread messages over all your conversations (the badge); null unless you are this user.',
  })
  async unreadMessageCount(user: UserModel, _args: unknown, ctx: GraphQLContext): Promise<number | null> {
    if (ctx.viewer?.userId !== user.id) return null;
    return this.conversations.unreadTotal(user.id);
  }
}

/** A lesson knows its conversation: the one of its teacher and student. */
@Resolver(() => LessonModel)
export class LessonConversationResolver {
  constructor(private readonly conversations: ConversationsService) {}

  @ResolveField(() => ConversationModel, {
    nullable: true,
    description: "The conversation of the lesson's teacher and student, for them (created with the lesson request).",
  })
  async conversation(lesson: LessonModel, _args: unknown, ctx: GraphQLContext): Promise<ConversationModel | null> {
    const viewerId = ctx.viewer?.userId;
    if (viewerId !== lesson.teacherId && viewerId !== lesson.studentId) return null;
    const conversation = await this.conversations.byPair(ctx.loaders, lesson.teacherId, lesson.studentId);
    return conversation ? presentConversation(conversation, viewerId) : null;
  }
}
