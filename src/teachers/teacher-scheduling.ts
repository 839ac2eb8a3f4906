import { registerEnumType } from '@nestjs/graphql';

/**
 * What the bookings module needs to know about a teacher: the contract between the teachers
 * module (which owns the profile in MongoDB) and scheduling. A teacher's id is their user id.
 */
export enum LessonFormat {
  ONLINE = 'ONLINE',
  TEACHER_STUDIO = 'TEACHER_STUDIO',
  STUDENT_HOME = 'STUDENT_HOME',
}
registerEnumType(LessonFormat, {
  name: 'LessonFormat',
  description: 'Where a lesson takes place.',
  valuesMap: {
    ONLINE: { description: 'By video call.' },
    TEACHER_STUDIO: { description: "At the teacher's studio (the profile's location)." },
    STUDENT_HOME: { description: "At the student's home." },
  },
});

export interface LessonOffering {
  durationMinutes: number;
  /** Integer minor units (cents) of `currency`. */
  priceMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
}

export interface BookingPolicies {
  /** A lesson must be requested at least this long before it starts. */
  minNoticeHours: number;
  /** ... and at most this far ahead. */
  maxAdvanceDays: number;
  /** Kept free before and after every lesson. */
  bufferMinutes: number;
  /** Cancelling later than this before the start is a LATE cancellation. */
  cancellationNoticeHours: number;
  /** Fee recorded on a late cancellation, 0-100. */
  lateCancellationFeePercent: number;
}

export interface TeacherScheduling {
  teacherId: string;
  displayName: string;
  timeZone: string;
  published: boolean;
  formats: LessonFormat[];
  offerings: LessonOffering[];
  policies: BookingPolicies;
}

/** Implemented by the teachers module; bookings injects it. */
export abstract class TeacherSchedulingSource {
  /** The scheduling view of a teacher's profile, or null when the teacher has no profile. */
  abstract schedulingFor(teacherId: string): Promise<TeacherScheduling | null>;
}
