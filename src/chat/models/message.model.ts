import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { MessageEventKind } from '../chat-live.service';

registerEnumType(MessageEventKind, {
  name: 'MessageEventType',
  description: 'ADDED, EDITED, DELETED carry `message`; READ carries the read receipt.',
});

@ObjectType('Message')
export class MessageModel {
  @Field(() => ID, { description: 'Assigned by the server (a ULID).' })
  id: string;

  @Field(() => ID)
  conversationId: string;

  @Field(() => Int, {
    description:
      'Position in the conversation (1, 2, ...): the one order of the conversation, the same for both participants. Place live messages by it.',
  })
  seq: number;

  @Field(() => ID)
  senderId: string;

  @Field(() => String, { nullable: true, description: "The sender's clientMessageId (for the sender only)." })
  clientMessageId: string | null;

  @Field({
    description: 'Plain text exactly as written (never markup); empty when deleted or when only a card or files.',
  })
  text: string;

  @Field(() => ID, { nullable: true, description: 'A lesson card: see `lesson` for its current status and time.' })
  lessonId: string | null;

  @Field({ description: 'Posted by the server for the sender (the card of a lesson request).' })
  automatic: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  editedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Deleted: a tombstone that keeps its place.' })
  deletedAt: Date | null;

  @Field()
  deleted: boolean;

  @Field(() => Date, {
    nullable: true,
    description: 'Until when the sender may edit or delete it (null for others, automatic and deleted messages).',
  })
  editableUntil: Date | null;

  @Field({ description: 'Its position as a cursor: messages(after:) returns what came after it (catch-up).' })
  cursor: string;

  /** For the attachments field. */
  attachmentIds: string[];
}

@ObjectType('MessageConnection')
export class MessageConnection extends Paginated(MessageModel) {}

@ObjectType('MessageEvent', { description: "Something happened in one of the viewer's conversations." })
export class MessageEventModel {
  @Field(() => MessageEventKind)
  type: MessageEventKind;

  @Field(() => ID)
  conversationId: string;

  @Field(() => MessageModel, { nullable: true, description: 'The message as it is now (ADDED, EDITED, DELETED).' })
  message: MessageModel | null;

  @Field(() => ID, { nullable: true, description: 'READ: who read.' })
  readerId: string | null;

  @Field(() => ID, { nullable: true, description: 'READ: the last message they have read.' })
  lastReadMessageId: string | null;

  @Field(() => Int, { nullable: true, description: 'READ: its position.' })
  lastReadSeq: number | null;

  @Field(() => Date, { nullable: true })
  readAt: Date | null;

  @Field(() => Int, { description: "The viewer's unread count in this conversation after the event." })
  unreadCount: number;
}

@ObjectType('TypingEvent')
export class TypingEventModel {
  @Field(() => ID)
  conversationId: string;

  @Field(() => ID)
  userId: string;

  @Field({ description: 'false: stopped typing.' })
  typing: boolean;

  @Field(() => Date, { description: 'Hide the indicator at this time unless another event renews it.' })
  expiresAt: Date;
}

@ObjectType('MessageReport')
export class MessageReportModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  messageId: string;

  @Field(() => ID)
  conversationId: string;

  @Field(() => ID)
  reporterId: string;

  @Field(() => ID)
  authorId: string;

  @Field()
  reason: string;

  @Field({ description: 'The text of the message when it was reported.' })
  text: string;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType('MessageReportConnection')
export class MessageReportConnection extends Paginated(MessageReportModel) {}
