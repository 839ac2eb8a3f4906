import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { CurrencyScalar, Paginated, TimeZoneScalar } from '@app/common';
import { LessonFormat } from '../../teachers/teacher-scheduling';
import type { Lesson } from '../lesson.types';
import { LessonAction, LessonStatus } from '../lesson.types';

/** Every money amount of the schema: integer minor units plus the currency. */
@ObjectType('Money', { description: 'An amount of money: integer minor units of a currency.' })
export class MoneyModel {
  @Field(() => Int, { description: 'Integer minor units of the currency (cents for EUR, yen for JPY).' })
  amountMinor: number;

  @Field(() => CurrencyScalar, { description: 'The currency of the amount.' })
  currency: string;
}

@ObjectType({ description: 'One change of a lesson.' })
export class LessonHistoryEntry {
  @Field(() => LessonAction, { description: 'What was done.' })
  action: LessonAction;

  @Field({ description: "User id of who acted, or 'system' (expiry)." })
  by: string;

  @Field(() => Date, { description: 'When.' })
  at: Date;

  @Field(() => LessonStatus, { nullable: true, description: 'The status before (null for the request).' })
  from: LessonStatus | null;

  @Field(() => LessonStatus, { description: 'The status after.' })
  to: LessonStatus;

  @Field(() => String, { nullable: true, description: 'The reason given, if any (decline, cancel).' })
  reason?: string;

  @Field(() => Date, { nullable: true, description: 'For RESCHEDULE: the start before the move.' })
  previousStart?: Date;
}

@ObjectType({ description: 'How and by whom a lesson was cancelled.' })
export class LessonCancellation {
  @Field({ description: 'User id of who cancelled.' })
  by: string;

  @Field(() => String, { nullable: true, description: 'The reason given, or null when none was.' })
  reason: string | null;

  @Field({ description: "Cancelled inside the teacher's cancellation notice." })
  late: boolean;

  @Field(() => Int, {
    description: 'Late-cancellation fee owed by the student, percent of the price (0 when the teacher cancelled).',
  })
  feePercent: number;
}

@ObjectType({
  description:
    "A move by the student of a CONFIRMED lesson inside the teacher's cancellation notice: the student stays liable for the late fee until the lesson takes place.",
})
export class LessonLateChange {
  @Field(() => ID, { description: 'User id of the student who moved the lesson.' })
  by: string;

  @Field(() => Date, { description: 'When the lesson was moved.' })
  at: Date;

  @Field(() => Date, { description: 'The start the lesson had (inside the notice) when it was moved.' })
  previousStart: Date;

  @Field(() => Int, {
    description:
      'Late fee, percent of the price, that a later cancellation by the student charges (the terms agreed with the lesson).',
  })
  feePercent: number;
}

@ObjectType({
  description:
    "Where a lesson happens, for its two participants and admins. Details are shown to the other side only while the lesson is PENDING, CONFIRMED or COMPLETED; each side always sees its own (the teacher's link and studio, the student's address).",
})
export class LessonPlace {
  @Field(() => LessonFormat, { description: 'The lesson format the details belong to.' })
  format: LessonFormat;

  @Field(() => String, {
    nullable: true,
    description:
      "ONLINE: the meeting link the teacher set for this lesson, else the teacher's default link; null when there is none yet.",
  })
  meetingUrl: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "STUDENT_HOME: the student's address given with the request. TEACHER_STUDIO: the studio's exact address (null if the teacher gave none).",
  })
  address: string | null;

  @Field(() => String, { nullable: true, description: "TEACHER_STUDIO: the studio's city." })
  city: string | null;

  @Field(() => String, { nullable: true, description: "TEACHER_STUDIO: the studio's country, ISO 3166-1 alpha-2." })
  country: string | null;

  @Field(() => Float, {
    nullable: true,
    description: "TEACHER_STUDIO: the studio's exact latitude (the public profile rounds it to about 1 km).",
  })
  latitude: number | null;

  @Field(() => Float, { nullable: true, description: "TEACHER_STUDIO: the studio's exact longitude." })
  longitude: number | null;
}

@ObjectType('Lesson', {
  description: 'A booked or requested lesson between a teacher and a student. Visible to the two of them and admins.',
})
export class LessonModel {
  @Field(() => ID, { description: 'The lesson id.' })
  id: string;

  @Field(() => ID, { description: "The teacher's user id." })
  teacherId: string;

  @Field(() => ID, { description: "The student's user id." })
  studentId: string;

  @Field(() => Date, { description: 'When it starts.' })
  start: Date;

  @Field(() => Date, { description: 'When it ends (start plus the duration).' })
  end: Date;

  @Field({ description: "The start in the teacher's time zone, ISO-8601 with offset." })
  teacherLocalStart: string;

  @Field(() => TimeZoneScalar, { description: "The teacher's time zone (as when the lesson was booked)." })
  teacherTimeZone: string;

  @Field(() => Int, { description: 'Length in minutes.' })
  durationMinutes: number;

  @Field(() => LessonFormat, { description: 'Where it takes place.' })
  format: LessonFormat;

  @Field(() => String, { nullable: true, description: "The student's message with the request." })
  note?: string;

  @Field(() => LessonStatus, { description: 'Where the lesson is in its life.' })
  status: LessonStatus;

  @Field(() => MoneyModel, { description: 'The price agreed when the lesson was requested.' })
  price: MoneyModel;

  @Field(() => [LessonHistoryEntry], { description: 'Every transition, oldest first.' })
  history: LessonHistoryEntry[];

  @Field(() => LessonCancellation, { nullable: true, description: 'Set once the lesson is CANCELLED.' })
  cancellation?: LessonCancellation;

  @Field(() => LessonLateChange, {
    nullable: true,
    description: "Set when the student moved the confirmed lesson inside the teacher's cancellation notice.",
  })
  lateChange?: LessonLateChange;

  @Field(() => ID, { nullable: true, description: 'Set for lessons booked as a weekly series.' })
  seriesId?: string;

  @Field(() => Date, { nullable: true, description: 'When a PENDING request expires and frees its slot.' })
  pendingExpiresAt?: Date;

  @Field(() => Date, { description: 'When it was requested.' })
  createdAt: Date;

  @Field(() => Date, { description: 'When it last changed.' })
  updatedAt: Date;

  /** Not in the schema: the stored lesson, for field resolvers that apply access rules (place). */
  stored: Lesson;
}

@ObjectType('LessonConnection', { description: 'A page of lessons, by start time.' })
export class LessonConnection extends Paginated(LessonModel, { nodeName: 'Lesson' }) {}

@ObjectType({ description: 'A start a student can book now.' })
export class OpenSlot {
  @Field(() => Date, { description: 'The start.' })
  start: Date;

  @Field(() => Date, { description: 'The end, for the duration asked for.' })
  end: Date;

  @Field({ description: "The start in the teacher's time zone, ISO-8601 with offset." })
  teacherLocalStart: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The start in the student's time zone (the timeZone argument, else the signed-in viewer's zone), ISO-8601 with offset; null for an anonymous caller without timeZone.",
  })
  studentLocalStart: string | null;
}

@ObjectType({ description: "The viewer's private calendar subscription." })
export class CalendarFeed {
  @Field({
    description:
      'Secret iCalendar URL of your lessons (requested ones tentative; cancelled, declined and expired ones marked cancelled); anyone with it can read them. Rotate to revoke.',
  })
  url: string;
}
