import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('MediaUsage', { description: 'Your media quota: files and bytes in use (uploads in progress included).' })
export class MediaUsageModel {
  @Field(() => Int)
  count: number;

  @Field(() => Int)
  maxCount: number;

  @Field(() => Float)
  bytes: number;

  @Field(() => Float)
  maxBytes: number;
}
