import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { ConnectionArgs, IsEntityId, trim } from '@app/common';

@InputType()
export class CreateReviewInput {
  @Field(() => ID, { description: 'A COMPLETED lesson you took.' })
  @IsEntityId()
  lessonId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1, { message: 'rating must be 1 to 5' })
  @Max(5, { message: 'rating must be 1 to 5' })
  rating: number;

  @Field()
  @Transform(trim)
  @IsString()
  @Length(1, 2000, { message: 'text must be 1 to 2000 characters' })
  text: string;
}

@ArgsType()
export class ReviewReplyArgs {
  @Field(() => ID) @IsEntityId() reviewId: string;

  @Field()
  @Transform(trim)
  @IsString()
  @Length(1, 2000, { message: 'text must be 1 to 2000 characters' })
  text: string;
}

@ArgsType()
export class TeacherReviewsArgs extends ConnectionArgs {
  @Field(() => ID) @IsEntityId() teacherId: string;
}
