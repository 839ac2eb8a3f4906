import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionArgs, IsEntityId, IsIanaTimeZone } from '@app/common';
import { LessonFormat } from '../../teachers/teacher-scheduling';
import { Weekday } from '../availability/availability.types';
import { LessonStatus } from '../lesson.types';

const IDEMPOTENCY_DOC =
  'Optional. Retrying with the same key returns the first result instead of acting twice (remembered 24 h).';

@InputType()
export class RequestLessonInput {
  @Field(() => ID)
  @IsEntityId()
  teacherId: string;

  @Field(() => Date, { description: 'A start from openSlots.' })
  @IsDate()
  start: Date;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(600)
  durationMinutes: number;

  @Field(() => LessonFormat)
  @IsEnum(LessonFormat)
  format: LessonFormat;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  note?: string;
}

@InputType()
export class RequestLessonSeriesInput extends RequestLessonInput {
  @Field(() => Int, { nullable: true, description: 'Number of weekly occurrences (2-26); or give until.' })
  @IsOptional()
  @IsInt()
  @Min(2, { message: 'occurrences must be at least 2' })
  @Max(26, { message: 'occurrences must be at most 26' })
  occurrences?: number;

  @Field({
    nullable: true,
    description: "Last date (YYYY-MM-DD, teacher's zone) of the weekly series; or give occurrences.",
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'until must be a date YYYY-MM-DD' })
  until?: string;
}

@InputType()
export class RescheduleLessonInput {
  @Field(() => ID)
  @IsEntityId()
  lessonId: string;

  @Field(() => Date)
  @IsDate()
  start: Date;
}

export enum LessonSide {
  AS_TEACHER = 'AS_TEACHER',
  AS_STUDENT = 'AS_STUDENT',
}
registerEnumType(LessonSide, { name: 'LessonSide' });

@ArgsType()
export class MyLessonsArgs extends ConnectionArgs {
  @Field(() => LessonSide)
  @IsEnum(LessonSide)
  as: LessonSide;

  @Field(() => [LessonStatus], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(LessonStatus, { each: true })
  statuses?: LessonStatus[];

  @Field(() => Date, { nullable: true, description: 'Lessons starting at or after this instant.' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Lessons starting before this instant.' })
  @IsOptional()
  @IsDate()
  to?: Date;
}

@ArgsType()
export class OpenSlotsArgs {
  @Field(() => ID)
  @IsEntityId()
  teacherId: string;

  @Field(() => Date)
  @IsDate()
  from: Date;

  @Field(() => Date)
  @IsDate()
  to: Date;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(600)
  durationMinutes: number;

  @Field({ nullable: true, description: "IANA zone to also express each start in (e.g. the student's)." })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;
}

@InputType()
export class AvailabilityWindowInput {
  @Field(() => Weekday)
  @IsEnum(Weekday)
  weekday: Weekday;

  @Field()
  @IsString()
  start: string;

  @Field()
  @IsString()
  end: string;
}

@InputType()
export class AvailabilityTimeRangeInput {
  @Field()
  @IsString()
  start: string;

  @Field()
  @IsString()
  end: string;
}

@InputType()
export class AvailabilityOverrideInput {
  @Field({ description: 'Local date YYYY-MM-DD.' })
  @IsString()
  date: string;

  @Field(() => [AvailabilityTimeRangeInput], { description: 'The windows of that date; empty = day off.' })
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityTimeRangeInput)
  windows: AvailabilityTimeRangeInput[];
}

@InputType()
export class SetAvailabilityOverridesInput {
  @Field(() => [AvailabilityOverrideInput], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityOverrideInput)
  overrides: AvailabilityOverrideInput[];

  @Field(() => [String], { defaultValue: [], description: 'Dates whose override is removed.' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  clear: string[];
}

export { IDEMPOTENCY_DOC };
