import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ADDRESS_MAX_LENGTH,
  ADDRESS_MIN_LENGTH,
  ConnectionArgs,
  FieldProblem,
  InputRules,
  IsAddress,
  IsCalendarDate,
  IsEntityId,
  IsIanaTimeZone,
  IsMeetingUrl,
  NullClears,
  NullMeansOmitted,
  trim,
} from '@app/common';
import { LessonFormat } from '../../teachers/teacher-scheduling';
import {
  IsTimeOfDay,
  MAX_SLOT_RANGE_DAYS,
  overrideDatesProblems,
  windowProblems,
} from '../availability/availability.rules';
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
  @NullMeansOmitted()
  @IsString()
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  note?: string;

  @Field(() => String, {
    nullable: true,
    description: `STUDENT_HOME lessons (required there, refused for other formats): where the teacher comes, as you would write it on a letter (${ADDRESS_MIN_LENGTH}-${ADDRESS_MAX_LENGTH} characters). Only the teacher of the lesson and admins see it.`,
  })
  @IsOptional()
  @NullMeansOmitted()
  @Transform(trim)
  @IsAddress()
  studentAddress?: string;
}

@InputType()
@InputRules<RequestLessonSeriesInput>((input) =>
  (input.occurrences === undefined) === (input.until === undefined)
    ? [{ field: 'occurrences', message: 'give either occurrences or until' }]
    : [],
)
export class RequestLessonSeriesInput extends RequestLessonInput {
  @Field(() => Int, { nullable: true, description: 'Number of weekly occurrences (2-26); or give until.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(2, { message: 'occurrences must be at least 2' })
  @Max(26, { message: 'occurrences must be at most 26' })
  occurrences?: number;

  @Field({
    nullable: true,
    description: "Last date (YYYY-MM-DD, teacher's zone) of the weekly series; or give occurrences.",
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsCalendarDate({ message: 'until must be a date YYYY-MM-DD' })
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

@ArgsType()
export class SetLessonMeetingUrlArgs {
  @Field(() => ID, { description: 'The ONLINE lesson.' })
  @IsEntityId()
  lessonId: string;

  @Field(() => String, {
    nullable: true,
    description: "An absolute https link for this lesson only; null goes back to the teacher's default link.",
  })
  @IsOptional()
  @NullClears()
  @Transform(trim)
  @IsMeetingUrl()
  meetingUrl?: string | null;
}

export enum LessonSide {
  AS_TEACHER = 'AS_TEACHER',
  AS_STUDENT = 'AS_STUDENT',
}
registerEnumType(LessonSide, { name: 'LessonSide' });

/** `to` after `from` when both are given. */
function rangeProblems(args: { from?: unknown; to?: unknown }): FieldProblem[] {
  const { from, to } = args;
  if (!(from instanceof Date) || !(to instanceof Date)) return [];
  return to <= from ? [{ field: 'to', message: 'to must be after from' }] : [];
}

@ArgsType()
@InputRules(rangeProblems)
export class MyLessonsArgs extends ConnectionArgs {
  @Field(() => LessonSide)
  @IsEnum(LessonSide)
  as: LessonSide;

  @Field(() => [LessonStatus], { nullable: true })
  @IsOptional()
  @NullMeansOmitted()
  @IsArray()
  @IsEnum(LessonStatus, { each: true })
  statuses?: LessonStatus[];

  @Field(() => Date, { nullable: true, description: 'Lessons starting at or after this instant.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Lessons starting before this instant.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsDate()
  to?: Date;
}

@ArgsType()
@InputRules<OpenSlotsArgs>(rangeProblems, ({ from, to }) =>
  from instanceof Date && to instanceof Date && to.getTime() - from.getTime() > MAX_SLOT_RANGE_DAYS * 86_400_000
    ? [{ field: 'to', message: `a range may span at most ${MAX_SLOT_RANGE_DAYS} days` }]
    : [],
)
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
  @NullMeansOmitted()
  @IsIanaTimeZone()
  timeZone?: string;
}

@InputType()
@InputRules(windowProblems)
export class AvailabilityTimeRangeInput {
  @Field()
  @IsTimeOfDay()
  start: string;

  @Field()
  @IsTimeOfDay()
  end: string;
}

@InputType()
@InputRules(windowProblems)
export class AvailabilityWindowInput {
  @Field(() => Weekday)
  @IsEnum(Weekday)
  weekday: Weekday;

  @Field()
  @IsTimeOfDay()
  start: string;

  @Field()
  @IsTimeOfDay()
  end: string;
}

@InputType()
export class AvailabilityOverrideInput {
  @Field({ description: 'Local date YYYY-MM-DD.' })
  @IsCalendarDate()
  date: string;

  @Field(() => [AvailabilityTimeRangeInput], { description: 'The windows of that date; empty = day off.' })
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityTimeRangeInput)
  windows: AvailabilityTimeRangeInput[];
}

@InputType()
@InputRules(overrideDatesProblems)
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

@ArgsType()
@InputRules<OverrideRangeArgs>(({ fromDate, toDate }) =>
  typeof fromDate === 'string' && typeof toDate === 'string' && toDate < fromDate
    ? [{ field: 'toDate', message: 'toDate must not be before fromDate' }]
    : [],
)
export class OverrideRangeArgs {
  @Field()
  @IsCalendarDate()
  fromDate: string;

  @Field()
  @IsCalendarDate()
  toDate: string;
}

export { IDEMPOTENCY_DOC };
