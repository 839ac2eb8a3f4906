import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('MediaUsage', { description: 'Your media quota: files and bytes in use (uploads in progress included).' })
export class MediaUsageModel {
  @Field(() => Int, { description: 'Files you have (uploads in progress included).' })
  count: number;

  @Field(() => Int, { description: 'The most files you may have.' })
  maxCount: number;

  @Field(() => Float, { description: 'Bytes those files take (declared sizes of uploads in progress).' })
  bytes: number;

  @Field(() => Float, { description: 'The most bytes you may use.' })
  maxBytes: number;
}
