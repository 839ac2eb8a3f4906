import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';

@ObjectType('Conversation', { description: 'A conversation between the viewer and one other user.' })
export class ConversationModel {
  @Field(() => ID, { description: 'The conversation id.' })
  id: string;

  @Field(() => ID, { description: 'User id of the other participant.' })
  otherParticipantId: string;

  @Field(() => Date, { description: 'When the last message was sent (the order of `conversations`).' })
  lastActivityAt: Date;

  @Field(() => Date, { description: 'When the first message was sent.' })
  createdAt: Date;

  @Field(() => Int, {
    description: "Messages from the other participant after the viewer's last read one (deleted ones included).",
  })
  unreadCount: number;

  @Field(() => ID, { nullable: true, description: 'The last message the viewer has read.' })
  lastReadMessageId: string | null;

  @Field(() => ID, { nullable: true, description: 'Read receipt: the last message the other participant has read.' })
  otherLastReadMessageId: string | null;

  @Field(() => Int, { description: 'Its position (0: none): your messages up to it are read.' })
  otherLastReadSeq: number;

  @Field(() => Date, { nullable: true, description: 'When the other participant last marked it read.' })
  otherLastReadAt: Date | null;

  @Field({ description: 'Either has blocked the other: nobody can send, and neither sees the presence of the other.' })
  blocked: boolean;

  @Field({ description: 'The viewer has blocked the other participant (unblockUser lifts it).' })
  blockedByMe: boolean;

  /** For the lastMessage field: the position of the last message (0: none). */
  lastMessageSeq: number;
}

@ObjectType('ConversationConnection', { description: "A page of the viewer's conversations, latest activity first." })
export class ConversationConnection extends Paginated(ConversationModel, { nodeName: 'Conversation' }) {}
