import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';

@ObjectType('ReviewReply', { description: "The teacher's answer to a review." })
export class ReviewReplyModel {
  @Field({ description: "The teacher's reply." }) text: string;
  @Field(() => Date, { description: 'When the teacher replied.' }) at: Date;
}

@ObjectType('Review', { description: "A student's rating and text about a completed lesson." })
export class ReviewModel {
  @Field(() => ID, { description: 'The review id.' }) id: string;
  @Field(() => ID, { description: 'The reviewed lesson.' }) lessonId: string;
  @Field(() => ID, { description: "The reviewed teacher's user id." }) teacherId: string;
  @Field(() => ID, { description: "The reviewing student's user id." }) studentId: string;
  @Field(() => Int, { description: '1 to 5.' }) rating: number;
  @Field({ description: 'What the student wrote.' }) text: string;
  @Field(() => ReviewReplyModel, { nullable: true, description: "The teacher's one reply." })
  reply: ReviewReplyModel | null;
  @Field({ description: 'Hidden by an admin: left out of lists and the rating.' }) hidden: boolean;
  @Field(() => Date, { description: 'When it was written.' }) createdAt: Date;
}

@ObjectType('ReviewConnection', { description: "A page of a teacher's visible reviews." })
export class ReviewConnection extends Paginated(ReviewModel, {
  nodeName: 'Review',
  totalCount: "The number of the teacher's visible reviews (all pages); one indexed count, run only when selected.",
}) {}
