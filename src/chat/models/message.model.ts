import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { MessageEventKind } from '../chat-live.service';

registerEnumType(MessageEventKind, {
  name: 'MessageEventType',
  description: 'ADDED, EDITED, DELETED carry `message`; READ carries the read receipt.',
  valuesMap: {
    ADDED: { description: 'A new message.' },
    EDITED: { description: 'Its author changed the text.' },
    DELETED: { description: 'Its author deleted it (a tombstone).' },
    READ: { description: 'A participant marked the conversation read.' },
  },
});

@ObjectType('Message', { description: 'A message of a conversation; a deleted one stays as a tombstone.' })
export class MessageModel {
  @Field(() => ID, { description: 'Assigned by the server (a ULID).' })
  id: string;

  @Field(() => ID, { description: 'The conversation it belongs to.' })
  conversationId: string;

  @Field(() => Int, {
    description:
      'Position in the conversation (1, 2, ...): the one order of the conversation, the same for both participants. Place live messages by it.',
  })
  seq: number;

  @Field(() => ID, { description: 'User id of the sender.' })
  senderId: string;

  @Field(() => String, { nullable: true, description: "The sender's clientMessageId (for the sender only)." })
  clientMessageId: string | null;

  @Field({
    description: 'Plain text exactly as written (never markup); empty when deleted or when only a lesson card.',
  })
  text: string;

  @Field(() => ID, { nullable: true, description: 'A lesson card: see `lesson` for its current status and time.' })
  lessonId: string | null;

  /** The files: see the `attachments` field. */
  attachmentIds: string[];

  @Field({ description: 'Posted by the server for the sender (the card of a lesson request).' })
  automatic: boolean;

  @Field(() => Date, { description: 'When it was sent (placed in the conversation).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the text was last edited, if it was.' })
  editedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Deleted: a tombstone that keeps its place.' })
  deletedAt: Date | null;

  @Field({ description: 'Deleted by its author: text and lesson card are gone.' })
  deleted: boolean;

  @Field(() => Date, {
    nullable: true,
    description: 'Until when the sender may edit or delete it (null for others, automatic and deleted messages).',
  })
  editableUntil: Date | null;

  @Field({ description: 'Its position as a cursor: messages(after:) returns what came after it (catch-up).' })
  cursor: string;
}

@ObjectType('MessageConnection', { description: 'A window of a conversation, in ascending `seq`.' })
export class MessageConnection extends Paginated(MessageModel, { nodeName: 'Message' }) {}

@ObjectType('MessageEvent', { description: "Something happened in one of the viewer's conversations." })
export class MessageEventModel {
  @Field(() => MessageEventKind, { description: 'What happened.' })
  type: MessageEventKind;

  @Field(() => ID, { description: 'The conversation it happened in.' })
  conversationId: string;

  @Field(() => MessageModel, { nullable: true, description: 'The message as it is now (ADDED, EDITED, DELETED).' })
  message: MessageModel | null;

  @Field(() => ID, { nullable: true, description: 'READ: who read.' })
  readerId: string | null;

  @Field(() => ID, { nullable: true, description: 'READ: the last message they have read.' })
  lastReadMessageId: string | null;

  @Field(() => Int, { nullable: true, description: 'READ: its position.' })
  lastReadSeq: number | null;

  @Field(() => Date, { nullable: true, description: 'READ: when.' })
  readAt: Date | null;

  @Field(() => Int, { description: "The viewer's unread count in this conversation after the event." })
  unreadCount: number;
}

@ObjectType('TypingEvent', { description: 'The other participant started or stopped typing (never stored).' })
export class TypingEventModel {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId: string;

  @Field(() => ID, { description: 'Who is typing.' })
  userId: string;

  @Field({ description: 'True: typing; false: stopped typing.' })
  typing: boolean;

  @Field(() => Date, { description: 'Hide the indicator at this time unless another event renews it.' })
  expiresAt: Date;
}

@ObjectType('MessageReport', { description: 'A message reported to the moderators.' })
export class MessageReportModel {
  @Field(() => ID, { description: 'The report id.' })
  id: string;

  @Field(() => ID, { description: 'The reported message.' })
  messageId: string;

  @Field(() => ID, { description: 'Its conversation.' })
  conversationId: string;

  @Field(() => ID, { description: 'User id of who reported it.' })
  reporterId: string;

  @Field(() => ID, { description: 'User id of its author.' })
  authorId: string;

  @Field({ description: 'The reason the reporter gave.' })
  reason: string;

  @Field({ description: 'The text of the message when it was reported.' })
  text: string;

  @Field(() => Date, { description: 'When it was reported.' })
  createdAt: Date;
}

@ObjectType('MessageReportConnection', { description: 'A page of reported messages, newest first.' })
export class MessageReportConnection extends Paginated(MessageReportModel, { nodeName: 'MessageReport' }) {}
