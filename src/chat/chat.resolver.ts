import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { buildConnection, connectionFromPage, IdArg, pageSizeOf } from '@app/common';
import { CurrentViewer, Roles } from '../auth/guards/auth.decorators';
import type { Viewer } from '../auth/viewer';
import type { GraphQLContext } from '../graphql/graphql-context';
import { Role } from '../users/user.types';
import type { Message } from './chat.types';
import { presentConversation, presentMessage, presentPresence, presentReport } from './chat.presenter';
import { ConversationsService } from './conversations.service';
import {
  ConversationsArgs,
  EditMessageArgs,
  MarkReadArgs,
  MessageReportsArgs,
  MessagesArgs,
  ReportMessageArgs,
  SendMessageInput,
  SetTypingArgs,
} from './dto/chat.inputs';
import { MessagesService } from './messages.service';
import { ConversationConnection, ConversationModel } from './models/conversation.model';
import { MessageConnection, MessageModel, MessageReportConnection } from './models/message.model';
import { PresenceModel } from './models/presence.model';
import { PresenceService } from './presence/presence.service';
import { TypingService } from './typing.service';

@Resolver()
export class ChatResolver {
  constructor(
    private readonly conversationsService: ConversationsService,
    private readonly messagesService: MessagesService,
    private readonly typing: TypingService,
    private readonly presence: PresenceService,
  ) {}

  @Query(() => ConversationConnection, {
    description: "The viewer's conversations, most recent activity first, each with its last message and unread count.",
  })
  async conversations(
    @CurrentViewer() viewer: Viewer,
    @Args() args: ConversationsArgs,
    @Context() ctx: GraphQLContext,
  ): Promise<ConversationConnection> {
    const page = await this.conversationsService.page(viewer.userId, pageSizeOf(args), args.after);
    // The page answers the relation checks of its participants' presence without another read.
    for (const c of page.items) ctx.loaders.chatConversationsByPair.prime(c.pairKey, c);
    return connectionFromPage(page, {
      hasPreviousPage: !!args.after,
      node: (c) => presentConversation(c, viewer.userId),
    });
  }

  @Query(() => ConversationModel, {
    nullable: true,
    description: 'One of your conversations; null when there is none (FORBIDDEN for a conversation of others).',
  })
  async conversation(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The conversation.') id: string,
  ): Promise<ConversationModel | null> {
    const conversation = await this.conversationsService.find(viewer.userId, id, 'id');
    return conversation && presentConversation(conversation, viewer.userId);
  }

  @Query(() => MessageConnection, {
    description:
      'Messages of your conversation in order (ascending `seq`). No cursor: the newest (`last`, default 20); `last` + `before`: older; `first` + `after`: newer (catch-up after a reconnect).',
  })
  async messages(@CurrentViewer() viewer: Viewer, @Args() args: MessagesArgs): Promise<MessageConnection> {
    const window = await this.messagesService.window(viewer, args);
    return buildConnection(window.items, {
      hasNextPage: window.hasNewer,
      hasPreviousPage: window.hasOlder,
      cursorOf: (m: Message) => window.cursorOf(m),
      node: (m: Message) => presentMessage(m, viewer.userId, window.cursorOf(m)),
    });
  }

  @Roles(Role.ADMIN)
  @Query(() => MessageReportConnection, { description: 'Admin: reported messages, newest first.' })
  async messageReports(@Args() args: MessageReportsArgs): Promise<MessageReportConnection> {
    const page = await this.messagesService.reportsPage(pageSizeOf(args), args.after);
    return connectionFromPage(page, { hasPreviousPage: !!args.after, node: presentReport });
  }

  @Mutation(() => MessageModel, {
    description:
      'Sends a message (a first one to toUserId starts the conversation). Retrying with the same clientMessageId returns the stored message.',
  })
  async sendMessage(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The recipient or conversation, and the content.' }) input: SendMessageInput,
    @Context() ctx: GraphQLContext,
  ): Promise<MessageModel> {
    const message = await this.messagesService.send(ctx.loaders, viewer, input);
    return presentMessage(message, viewer.userId, this.messagesService.cursorOf(message));
  }

  @Mutation(() => MessageModel, { description: 'The author changes the text within 15 minutes of sending.' })
  async editMessage(@CurrentViewer() viewer: Viewer, @Args() args: EditMessageArgs): Promise<MessageModel> {
    const message = await this.messagesService.edit(viewer, args.id, args.text);
    return presentMessage(message, viewer.userId, this.messagesService.cursorOf(message));
  }

  @Mutation(() => MessageModel, {
    description: 'The author deletes a message within 15 minutes of sending; it stays in place as a tombstone.',
  })
  async deleteMessage(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'Your message.') id: string,
  ): Promise<MessageModel> {
    const message = await this.messagesService.delete(viewer, id);
    return presentMessage(message, viewer.userId, this.messagesService.cursorOf(message));
  }

  @Mutation(() => ConversationModel, {
    description: 'Marks your conversation read up to a message (default the newest); never moves backwards.',
  })
  async markConversationRead(@CurrentViewer() viewer: Viewer, @Args() args: MarkReadArgs): Promise<ConversationModel> {
    const conversation = await this.conversationsService.markRead(
      viewer.userId,
      args.conversationId,
      args.upToMessageId,
    );
    this.presence.touch(viewer.userId);
    return presentConversation(conversation, viewer.userId);
  }

  @Mutation(() => Boolean, {
    description: 'Typing indicator for the other participant (not stored; repeats within 2 s are dropped).',
  })
  async setTyping(@CurrentViewer() viewer: Viewer, @Args() args: SetTypingArgs): Promise<boolean> {
    return this.typing.set(viewer.userId, args.conversationId, args.typing);
  }

  @Mutation(() => Boolean, { description: 'No messages either way, and neither sees the presence of the other.' })
  async blockUser(
    @CurrentViewer() viewer: Viewer,
    @IdArg('userId', 'The user to block.') userId: string,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    return this.conversationsService.setBlocked(viewer.userId, userId, true, ctx.loaders);
  }

  @Mutation(() => Boolean, { description: 'Lifts your block (the other may still block you).' })
  async unblockUser(
    @CurrentViewer() viewer: Viewer,
    @IdArg('userId', 'The user to unblock.') userId: string,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    return this.conversationsService.setBlocked(viewer.userId, userId, false, ctx.loaders);
  }

  @Mutation(() => Boolean, { description: "Reports the other participant's message to the moderators." })
  async reportMessage(@CurrentViewer() viewer: Viewer, @Args() args: ReportMessageArgs): Promise<boolean> {
    await this.messagesService.report(viewer, args.messageId, args.reason);
    return true;
  }

  @Mutation(() => PresenceModel, {
    description:
      'The user is active (typing, clicking, the tab in front): ONLINE again if AWAY. Send it at most every 30 s.',
  })
  async reportActivity(@CurrentViewer() viewer: Viewer): Promise<PresenceModel> {
    return presentPresence(await this.presence.reportActivity(viewer.userId));
  }
}
