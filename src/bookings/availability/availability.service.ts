import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Clock, FieldProblem, NotFoundError, ValidationFailedError } from '@app/common';
import { TeacherScheduling, TeacherSchedulingSource } from '../../teachers/teacher-scheduling';
import type { Viewer } from '../../auth/viewer';
import { LessonsRepository } from '../lessons.repository';
import { DateOverride, WeeklyWindow } from './availability.types';
import { AvailabilityRepository } from './availability.repository';
import { generateSlots, Slot } from './slot-generator';

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly availability: AvailabilityRepository,
    private readonly lessons: LessonsRepository,
    private readonly scheduling: TeacherSchedulingSource,
    private readonly clock: Clock,
  ) {}

  async weekly(teacherId: string): Promise<WeeklyWindow[]> {
    return this.availability.getWeekly(teacherId);
  }

  /** Windows come validated (grid, order, count: AvailabilityWindowInput and the resolver's pipe). */
  async setWeekly(viewer: Viewer, windows: WeeklyWindow[]): Promise<WeeklyWindow[]> {
    const sorted = [...windows].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
    await this.availability.putWeekly(viewer.userId, sorted, this.clock.now());
    return sorted;
  }

  /** Demo data: sets weekly hours only where a teacher has none (their own edits are kept). */
  async seedWeekly(teacherId: string, windows: WeeklyWindow[]): Promise<boolean> {
    if ((await this.availability.getWeekly(teacherId)).length > 0) return false;
    await this.availability.putWeekly(teacherId, windows, this.clock.now());
    return true;
  }

  async overrides(teacherId: string, fromDate: string, toDate: string): Promise<DateOverride[]> {
    return this.availability.overridesBetween(teacherId, fromDate, toDate);
  }

  /**
   * Sets the windows of each date (an empty list is a day off); `clear` removes overrides. The
   * input comes validated (SetAvailabilityOverridesInput): each date once, windows on the grid.
   */
  async setOverrides(viewer: Viewer, overrides: DateOverride[], clear: string[] = []): Promise<void> {
    await this.availability.writeOverrides(viewer.userId, [
      ...overrides.map((o) => ({ date: o.date, windows: o.windows })),
      ...clear.map((date) => ({ date, windows: null })),
    ]);
  }

  /** Bookable starts for `durationMinutes` in [from, to), honouring policies, lessons and holds. */
  async openSlots(
    teacherId: string,
    from: Date,
    to: Date,
    durationMinutes: number,
    now = this.clock.now(),
  ): Promise<{ teacher: TeacherScheduling; slots: Slot[] }> {
    // OpenSlotsArgs has checked the range (to after from, at most MAX_SLOT_RANGE_DAYS).
    const teacher = await this.bookableTeacher(teacherId);
    requireOffered(teacher, durationMinutes, 'durationMinutes');
    return { teacher, slots: await this.slots(teacher, from, to, durationMinutes, now) };
  }

  async bookableTeacher(teacherId: string): Promise<TeacherScheduling> {
    const teacher = await this.scheduling.schedulingFor(teacherId);
    if (!teacher || !teacher.published) throw new NotFoundError('Teacher', teacherId);
    return teacher;
  }

  /**
   * The slots of a teacher in a range; `ignoreTaken` answers "is this an offered start at all?"
   * (booking then checks the locks it needs itself).
   */
  async slots(
    teacher: TeacherScheduling,
    from: Date,
    to: Date,
    durationMinutes: number,
    now: Date,
    opts: { ignoreTaken?: boolean } = {},
  ): Promise<Slot[]> {
    const zone = teacher.timeZone;
    const fromDate = DateTime.fromJSDate(from, { zone }).minus({ days: 1 }).toISODate()!;
    const toDate = DateTime.fromJSDate(to, { zone }).plus({ days: 1 }).toISODate()!;
    const lockEnd = new Date(to.getTime() + (durationMinutes + teacher.policies.bufferMinutes + 15) * 60_000);
    const [weekly, overrides, taken] = await Promise.all([
      this.availability.getWeekly(teacher.teacherId),
      this.availability.overridesBetween(teacher.teacherId, fromDate, toDate),
      opts.ignoreTaken
        ? Promise.resolve(new Set<string>())
        : this.lessons.lockedGranules(teacher.teacherId, from, lockEnd),
    ]);
    return generateSlots({
      zone,
      weekly,
      overrides,
      from,
      to,
      durationMinutes,
      bufferMinutes: teacher.policies.bufferMinutes,
      minNoticeHours: teacher.policies.minNoticeHours,
      maxAdvanceDays: teacher.policies.maxAdvanceDays,
      now,
      taken,
    });
  }
}

export function requireOffered(teacher: TeacherScheduling, durationMinutes: number, field: string) {
  const problem = offeringProblem(teacher, durationMinutes, field);
  if (problem) throw new ValidationFailedError([problem]);
  return teacher.offerings.find((o) => o.durationMinutes === durationMinutes)!;
}

/** Why the teacher has no offering of that length, or null when there is one. */
export function offeringProblem(
  teacher: TeacherScheduling,
  durationMinutes: number,
  field: string,
): FieldProblem | null {
  if (teacher.offerings.some((o) => o.durationMinutes === durationMinutes)) return null;
  const offered = teacher.offerings.map((o) => o.durationMinutes).sort((a, b) => a - b);
  return { field, message: `this teacher offers ${offered.join(', ') || 'no'} minute lessons, not ${durationMinutes}` };
}
