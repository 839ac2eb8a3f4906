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
  LocalDateScalar,
  LocalEndTimeScalar,
  LocalTimeScalar,
  NullClears,
  NullMeansOmitted,
  TimeZoneScalar,
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

@InputType({ description: 'A lesson to ask a teacher for.' })
export class RequestLessonInput {
  @Field(() => ID, { description: "The teacher's user id." })
  @IsEntityId()
  teacherId: string;

  @Field(() => Date, { description: 'A start from openSlots.' })
  @IsDate()
  start: Date;

  @Field(() => Int, { description: 'One of the lengths the teacher offers (Teacher.offerings).' })
  @IsInt()
  @Min(1)
  @Max(600)
  durationMinutes: number;

  @Field(() => LessonFormat, { description: 'One of the formats the teacher offers (Teacher.formats).' })
  @IsEnum(LessonFormat)
  format: LessonFormat;

  @Field({ nullable: true, description: 'A message to the teacher (at most 1000 characters).' })
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

  @Field(() => ID, {
    nullable: true,
    description:
      'Pay with a credit of this lot of yours (myCredits): one credit is reserved with the lesson. Without it the lesson is paid per lesson by card.',
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsEntityId()
  creditId?: string;
}

@InputType({ description: 'A weekly series of lessons at the same local time, all booked or none.' })
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

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: "Last date (in the teacher's zone) of the weekly series, inclusive; or give occurrences.",
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsCalendarDate({ message: 'until must be a date YYYY-MM-DD' })
  until?: string;
}

@InputType({ description: 'A new start for a lesson (same length).' })
export class RescheduleLessonInput {
  @Field(() => ID, { description: 'The lesson to move.' })
  @IsEntityId()
  lessonId: string;

  @Field(() => Date, { description: 'The new start, from openSlots.' })
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
registerEnumType(LessonSide, {
  name: 'LessonSide',
  description: "Which of the viewer's lessons to list.",
  valuesMap: {
    AS_TEACHER: { description: 'Lessons the viewer gives.' },
    AS_STUDENT: { description: 'Lessons the viewer takes.' },
  },
});

/** `to` after `from` when both are given. */
function rangeProblems(args: { from?: unknown; to?: unknown }): FieldProblem[] {
  const { from, to } = args;
  if (!(from instanceof Date) || !(to instanceof Date)) return [];
  return to <= from ? [{ field: 'to', message: 'to must be after from' }] : [];
}

@ArgsType()
@InputRules(rangeProblems)
export class MyLessonsArgs extends ConnectionArgs {
  @Field(() => LessonSide, { description: 'As teacher or as student.' })
  @IsEnum(LessonSide)
  as: LessonSide;

  @Field(() => [LessonStatus], { nullable: true, description: 'Only lessons in these statuses (default: all).' })
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
  @Field(() => ID, { description: "The teacher's user id." })
  @IsEntityId()
  teacherId: string;

  @Field(() => Date, { description: 'First possible start (inclusive).' })
  @IsDate()
  from: Date;

  @Field(() => Date, { description: `Starts before this instant (at most ${MAX_SLOT_RANGE_DAYS} days after from).` })
  @IsDate()
  to: Date;

  @Field(() => Int, { description: 'The lesson length, one the teacher offers.' })
  @IsInt()
  @Min(1)
  @Max(600)
  durationMinutes: number;

  @Field(() => TimeZoneScalar, {
    nullable: true,
    description: "The zone for studentLocalStart (default: the signed-in viewer's zone).",
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsIanaTimeZone()
  timeZone?: string;
}

@InputType({ description: "A time range on one date, in the teacher's local time." })
@InputRules(windowProblems)
export class AvailabilityTimeRangeInput {
  @Field(() => LocalTimeScalar, { description: 'Local start, HH:mm on the 15-minute grid.' })
  @IsTimeOfDay()
  start: string;

  @Field(() => LocalEndTimeScalar, { description: 'Local end, HH:mm on the 15-minute grid (24:00 = midnight).' })
  @IsTimeOfDay()
  end: string;
}

@InputType({ description: "A weekly window: the teacher's local times on a weekday." })
@InputRules(windowProblems)
export class AvailabilityWindowInput {
  @Field(() => Weekday, { description: 'The weekday it repeats on.' })
  @IsEnum(Weekday)
  weekday: Weekday;

  @Field(() => LocalTimeScalar, { description: 'Local start, HH:mm on the 15-minute grid.' })
  @IsTimeOfDay()
  start: string;

  @Field(() => LocalEndTimeScalar, { description: 'Local end, HH:mm on the 15-minute grid (24:00 = midnight).' })
  @IsTimeOfDay()
  end: string;
}

@InputType({ description: "The windows of one date, replacing that date's weekly windows." })
export class AvailabilityOverrideInput {
  @Field(() => LocalDateScalar, { description: "The date, in the teacher's zone." })
  @IsCalendarDate()
  date: string;

  @Field(() => [AvailabilityTimeRangeInput], { description: 'The windows of that date; empty = day off.' })
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityTimeRangeInput)
  windows: AvailabilityTimeRangeInput[];
}

@InputType({ description: 'Date overrides to set and to clear, in one call.' })
@InputRules(overrideDatesProblems)
export class SetAvailabilityOverridesInput {
  @Field(() => [AvailabilityOverrideInput], {
    defaultValue: [],
    description: 'Overrides to set (at most 100); each replaces an existing one of the same date.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityOverrideInput)
  overrides: AvailabilityOverrideInput[];

  // LocalDate makes each a date string (or a refusal the pipe reports); overrideDatesProblems names duplicates.
  @Field(() => [LocalDateScalar], { defaultValue: [], description: 'Dates whose override is removed (at most 100).' })
  @IsArray()
  @ArrayMaxSize(100)
  clear: string[];
}

@ArgsType()
@InputRules<OverrideRangeArgs>(({ fromDate, toDate }) =>
  typeof fromDate === 'string' && typeof toDate === 'string' && toDate < fromDate
    ? [{ field: 'toDate', message: 'toDate must not be before fromDate' }]
    : [],
)
export class OverrideRangeArgs {
  @Field(() => LocalDateScalar, { description: 'First date (inclusive).' })
  @IsCalendarDate()
  fromDate: string;

  @Field(() => LocalDateScalar, { description: 'Last date (inclusive).' })
  @IsCalendarDate()
  toDate: string;
}

export { IDEMPOTENCY_DOC };
