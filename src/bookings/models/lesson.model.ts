import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { LessonFormat } from '../../teachers/teacher-scheduling';
import type { Lesson } from '../lesson.types';
import { LessonAction, LessonStatus } from '../lesson.types';

@ObjectType()
export class LessonPrice {
  @Field(() => Int, { description: 'Integer minor units (cents) of the currency.' })
  amountMinor: number;

  @Field({ description: 'ISO 4217 code.' })
  currency: string;
}

@ObjectType()
export class LessonHistoryEntry {
  @Field(() => LessonAction)
  action: LessonAction;

  @Field({ description: "User id of who acted, or 'system' (expiry)." })
  by: string;

  @Field(() => Date)
  at: Date;

  @Field(() => LessonStatus, { nullable: true })
  from: LessonStatus | null;

  @Field(() => LessonStatus)
  to: LessonStatus;

  @Field(() => String, { nullable: true })
  reason?: string;

  @Field(() => Date, { nullable: true, description: 'For RESCHEDULE: the start before the move.' })
  previousStart?: Date;
}

@ObjectType()
export class LessonCancellation {
  @Field()
  by: string;

  @Field()
  reason: string;

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

@ObjectType('Lesson')
export class LessonModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  teacherId: string;

  @Field(() => ID)
  studentId: string;

  @Field(() => Date)
  start: Date;

  @Field(() => Date)
  end: Date;

  @Field({ description: "The start in the teacher's time zone, ISO-8601 with offset." })
  teacherLocalStart: string;

  @Field({ description: "The teacher's IANA time zone." })
  teacherTimeZone: string;

  @Field(() => Int)
  durationMinutes: number;

  @Field(() => LessonFormat)
  format: LessonFormat;

  @Field(() => String, { nullable: true })
  note?: string;

  @Field(() => LessonStatus)
  status: LessonStatus;

  @Field(() => LessonPrice)
  price: LessonPrice;

  @Field(() => [LessonHistoryEntry], { description: 'Every transition, oldest first.' })
  history: LessonHistoryEntry[];

  @Field(() => LessonCancellation, { nullable: true })
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

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  /** Not in the schema: the stored lesson, for field resolvers that apply access rules (place). */
  stored: Lesson;
}

@ObjectType('LessonConnection')
export class LessonConnection extends Paginated(LessonModel) {}

@ObjectType()
export class OpenSlot {
  @Field(() => Date)
  start: Date;

  @Field(() => Date)
  end: Date;

  @Field({ description: "The start in the teacher's time zone, ISO-8601 with offset." })
  teacherLocalStart: string;

  @Field(() => String, {
    nullable: true,
    description: 'The start in the time zone asked for (timeZone argument), if any.',
  })
  localStart?: string;
}

@ObjectType()
export class CalendarFeed {
  @Field({
    description:
      'Secret iCalendar URL of your lessons (requested ones tentative; cancelled, declined and expired ones marked cancelled); anyone with it can read them. Rotate to revoke.',
  })
  url: string;
}
