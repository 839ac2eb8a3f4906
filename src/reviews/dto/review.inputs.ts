import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { ConnectionArgs, IsEntityId, trim } from '@app/common';

@InputType({ description: 'A review of a completed lesson.' })
export class CreateReviewInput {
  @Field(() => ID, { description: 'A COMPLETED lesson you took.' })
  @IsEntityId()
  lessonId: string;

  @Field(() => Int, { description: '1 to 5 stars.' })
  @IsInt()
  @Min(1, { message: 'rating must be 1 to 5' })
  @Max(5, { message: 'rating must be 1 to 5' })
  rating: number;

  @Field({ description: 'What you want to say (1-2000 characters).' })
  @Transform(trim)
  @IsString()
  @Length(1, 2000, { message: 'text must be 1 to 2000 characters' })
  text: string;
}

@ArgsType()
export class ReviewReplyArgs {
  @Field(() => ID, { description: 'The review to answer.' }) @IsEntityId() reviewId: string;

  @Field({ description: 'Your reply (1-2000 characters).' })
  @Transform(trim)
  @IsString()
  @Length(1, 2000, { message: 'text must be 1 to 2000 characters' })
  text: string;
}

@ArgsType()
export class TeacherReviewsArgs extends ConnectionArgs {
  @Field(() => ID, { description: "The teacher's user id." }) @IsEntityId() teacherId: string;
}
