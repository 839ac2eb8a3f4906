import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsEntityId } from '@app/common';
import { MediaPurpose } from '../media.types';

@InputType({ description: 'What you are about to upload.' })
export class CreateUploadInput {
  @Field(() => MediaPurpose, { description: 'What the file is for: decides its allowed types and size limit.' })
  @IsEnum(MediaPurpose)
  purpose: MediaPurpose;

  @Field({ description: 'The MIME type of the file, e.g. image/jpeg; must be one the purpose allows.' })
  @IsString()
  @Length(3, 100, { message: 'contentType must be 3 to 100 characters' })
  contentType: string;

  @Field(() => Float, {
    description: 'Exact size of the file in bytes (an integer; Float because a recording may exceed the 32-bit Int).',
  })
  @IsInt({ message: 'byteSize must be a whole number of bytes' })
  byteSize: number;

  @Field(() => String, {
    nullable: true,
    description: 'The original file name, kept for display without its path (cut to 200 characters).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 500, { message: 'fileName must be 1 to 500 characters' })
  fileName?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'LESSON_RECORDING: the lesson (you must be its teacher or student).',
  })
  @IsOptional()
  @IsEntityId()
  lessonId?: string | null;
}

@InputType({ description: 'A part of a multipart upload as S3 acknowledged it.' })
export class CompletedPartInput {
  @Field(() => Int, { description: 'The part number from the upload ticket.' })
  @IsInt()
  @Min(1)
  @Max(10000)
  partNumber: number;

  @Field({ description: 'The ETag header of the part upload response, quotes included or not.' })
  @IsString()
  @Matches(/^"?[A-Za-z0-9-]{1,100}"?$/, { message: 'etag is not an S3 ETag' })
  etag: string;
}
