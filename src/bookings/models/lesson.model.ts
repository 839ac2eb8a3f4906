import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { LessonFormat } from '../../teachers/teacher-scheduling';
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

  @Field(() => ID, { nullable: true, description: 'Set for lessons booked as a weekly series.' })
  seriesId?: string;

  @Field(() => Date, { nullable: true, description: 'When a PENDING request expires and frees its slot.' })
  pendingExpiresAt?: Date;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
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
    description: 'Secret iCalendar URL of your confirmed lessons; anyone with it can read them. Rotate to revoke.',
  })
  url: string;
}
