import { Resolver, Subscription } from '@nestjs/graphql';
import { IdArg } from '@app/common';
import { CurrentViewer } from '../auth/guards/auth.decorators';
import type { Viewer } from '../auth/viewer';
import type { GraphQLContext } from '../graphql/graphql-context';
import { LoaderFactory } from '../graphql/request-loaders';
import { presentMessageEvent, presentPresenceEvent, presentTyping } from './chat.presenter';
import { ChatLive, type MessageEventPayload, type PresencePayload, type TypingPayload } from './chat-live.service';
import { ConversationsService } from './conversations.service';
import { MessagesService } from './messages.service';
import { MessageEventModel, TypingEventModel } from './models/message.model';
import { PresenceEventModel } from './models/presence.model';

/** Live chat over graphql-ws, each on the viewer's own channels (or a conversation of theirs). */
@Resolver()
export class ChatSubscriptionsResolver {
  constructor(
    private readonly live: ChatLive,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly loaders: LoaderFactory,
  ) {}

  @Subscription(() => MessageEventModel, {
    description:
      'Messages added, edited and deleted, and read receipts, in every conversation of the viewer. At most once: after a reconnect, catch up with messages(after: the cursor of the newest message you have).',
    resolve(this: ChatSubscriptionsResolver, payload: MessageEventPayload, _args: unknown, ctx: GraphQLContext) {
      // A subscription's context lives long: each event gets fresh loaders (current names, lessons).
      ctx.loaders = this.loaders.create();
      return presentMessageEvent(payload, ctx.viewer!.userId, (m) => this.messages.cursorOf(m));
    },
  })
  messageEvents(@CurrentViewer() viewer: Viewer) {
    return this.live.messageEvents(viewer.userId);
  }

  @Subscription(() => TypingEventModel, {
    description: 'The other participant typing in your conversation (your own indicators are not echoed).',
    filter: (payload: TypingPayload, _args: unknown, ctx: GraphQLContext) => payload.userId !== ctx.viewer?.userId,
    resolve: (payload: TypingPayload) => presentTyping(payload),
  })
  async typing(
    @CurrentViewer() viewer: Viewer,
    @IdArg('conversationId', 'One of your conversations.') conversationId: string,
  ) {
    await this.conversations.forParticipant(viewer.userId, conversationId, 'conversationId');
    return this.live.typingIn(conversationId);
  }

  @Subscription(() => PresenceEventModel, {
    description:
      'Presence changes (ONLINE, AWAY, OFFLINE) of the people you share a conversation with (a lesson starts one); none while either has blocked the other.',
    resolve: (payload: PresencePayload) => presentPresenceEvent(payload),
  })
  presenceChanged(@CurrentViewer() viewer: Viewer) {
    return this.live.presenceFor(viewer.userId);
  }
}
