import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';

@ObjectType()
export class ReviewReplyModel {
  @Field() text: string;
  @Field(() => Date) at: Date;
}

@ObjectType('Review')
export class ReviewModel {
  @Field(() => ID) id: string;
  @Field(() => ID) lessonId: string;
  @Field(() => ID) teacherId: string;
  @Field(() => ID) studentId: string;
  @Field(() => Int, { description: '1 to 5.' }) rating: number;
  @Field() text: string;
  @Field(() => ReviewReplyModel, { nullable: true, description: "The teacher's one reply." })
  reply: ReviewReplyModel | null;
  @Field({ description: 'Hidden by an admin: left out of lists and the rating.' }) hidden: boolean;
  @Field(() => Date) createdAt: Date;
}

@ObjectType('ReviewConnection')
export class ReviewConnection extends Paginated(ReviewModel) {}
