import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  ConnectionArgs,
  type FieldProblem,
  InputRules,
  IsEntityId,
  MAX_CURSOR_LENGTH,
  MAX_PAGE_SIZE,
  NullMeansOmitted,
  trim,
} from '@app/common';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../media/chat-attachments.service';
import { IsChatText, isBlank } from './chat-text';

@InputType({ description: 'A message to send: to a user or into a conversation.' })
@InputRules<SendMessageInput>(
  (input) =>
    (input.toUserId === undefined) === (input.conversationId === undefined)
      ? [{ field: 'toUserId', message: 'give either toUserId or conversationId' }]
      : [],
  (input) =>
    isBlank(input.text) && !input.lessonId && !input.attachmentIds?.length
      ? [{ field: 'text', message: 'a message needs text, a lesson or an attachment' }]
      : [],
)
export class SendMessageInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The recipient of a first message (or of any: the conversation is found).',
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsEntityId()
  toUserId?: string;

  @Field(() => ID, { nullable: true, description: 'An existing conversation of yours.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEntityId()
  conversationId?: string;

  @Field({
    description:
      'An id the client makes for this message (a UUID), 1-100 of A-Z a-z 0-9 _ - . : — sending again with it (a retry) returns the stored message instead of sending twice.',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, { message: 'clientMessageId must be 1-100 of A-Z a-z 0-9 _ - . :' })
  clientMessageId: string;

  @Field({
    nullable: true,
    description: 'Up to 4,000 characters, stored and returned exactly as written (plain text).',
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsChatText()
  text?: string;

  @Field(() => ID, { nullable: true, description: 'A lesson between you and the recipient, shown as a lesson card.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEntityId()
  lessonId?: string;

  @Field(() => [ID], {
    nullable: true,
    description: `Files to send (at most ${MAX_ATTACHMENTS_PER_MESSAGE}): your CHAT_ATTACHMENT uploads, READY (createUpload, then completeUpload). Only the two participants can see them; deleting the message deletes them.`,
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENTS_PER_MESSAGE)
  @ArrayUnique({ message: 'attachmentIds must not repeat an id' })
  @IsEntityId({ each: true })
  attachmentIds?: string[];
}

@ArgsType()
export class EditMessageArgs {
  @Field(() => ID, { description: 'Your message.' })
  @IsEntityId()
  id: string;

  @Field({ description: 'The new text (up to 4,000 characters).' })
  @IsChatText()
  text: string;
}

/** `first`/`after` page forward (newer), `last`/`before` backward (older); neither: the newest `last` 20. */
@ArgsType()
@InputRules<MessagesArgs>(
  (args) =>
    args.first !== undefined && args.last !== undefined
      ? [{ field: 'last', message: 'give first (newer) or last (older), not both' }]
      : [],
  (args) =>
    args.after !== undefined && args.before !== undefined
      ? [{ field: 'before', message: 'give after or before, not both' }]
      : [],
  (args): FieldProblem[] =>
    (args.after !== undefined && args.last !== undefined) || (args.before !== undefined && args.first !== undefined)
      ? [{ field: args.after !== undefined ? 'last' : 'first', message: 'first goes with after, last with before' }]
      : [],
)
export class MessagesArgs {
  @Field(() => ID, { description: 'One of your conversations.' })
  @IsEntityId()
  conversationId: string;

  @Field(() => Int, { nullable: true, description: `Messages after \`after\` (1-${MAX_PAGE_SIZE}).` })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Newer than this message: a cursor (`pageInfo.endCursor`, or `Message.cursor` of the newest message you have).',
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  after?: string;

  @Field(() => Int, {
    nullable: true,
    description: `Messages before \`before\`, or the newest ones (1-${MAX_PAGE_SIZE}).`,
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  last?: number;

  @Field(() => String, { nullable: true, description: 'Older than this message (`pageInfo.startCursor`).' })
  @IsOptional()
  @NullMeansOmitted()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  before?: string;
}

@ArgsType()
export class ConversationsArgs extends ConnectionArgs {}

@ArgsType()
export class MessageReportsArgs extends ConnectionArgs {}

@ArgsType()
export class MarkReadArgs {
  @Field(() => ID, { description: 'One of your conversations.' })
  @IsEntityId()
  conversationId: string;

  @Field(() => ID, { nullable: true, description: 'Read up to this message; default the newest one.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEntityId()
  upToMessageId?: string;
}

@ArgsType()
export class SetTypingArgs {
  @Field(() => ID, { description: 'The conversation you are typing in.' })
  @IsEntityId()
  conversationId: string;

  @Field(() => Boolean, {
    defaultValue: true,
    description: 'false: stopped typing (e.g. the text was sent or cleared).',
  })
  @IsBoolean()
  typing: boolean;
}

@ArgsType()
export class ReportMessageArgs {
  @Field(() => ID, { description: 'A message of the other participant.' })
  @IsEntityId()
  messageId: string;

  @Field({ description: 'Why (1-1000 characters).' })
  @Transform(trim)
  @IsString()
  @Length(1, 1000, { message: 'reason must be 1 to 1000 characters' })
  reason: string;
}
