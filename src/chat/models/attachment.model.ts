import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Attachment', { description: 'A file attached to a message (an upload with purpose CHAT_ATTACHMENT).' })
export class AttachmentModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'IMAGE, AUDIO, VIDEO or DOCUMENT.' })
  kind: string;

  @Field()
  contentType: string;

  @Field(() => Int)
  byteSize: number;

  @Field(() => String, { nullable: true })
  fileName: string | null;

  @Field(() => String, { nullable: true, description: 'A short-lived URL, for the two participants only.' })
  url: string | null;

  @Field(() => Date, { nullable: true })
  urlExpiresAt: Date | null;

  @Field(() => Int, { nullable: true })
  width: number | null;

  @Field(() => Int, { nullable: true })
  height: number | null;

  @Field(() => Number, { nullable: true })
  durationSeconds: number | null;
}
