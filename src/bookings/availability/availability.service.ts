import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Clock, NotFoundError, ValidationFailedError } from '@app/common';
import { TeacherScheduling, TeacherSchedulingSource } from '../../teachers/teacher-scheduling';
import type { Viewer } from '../../auth/viewer';
import { LessonsRepository } from '../lessons.repository';
import { DateOverride, TimeWindow, WeeklyWindow } from './availability.types';
import { AvailabilityRepository } from './availability.repository';
import { generateSlots, Slot } from './slot-generator';

/** Enough for any real week (7 days of hourly blocks); keeps openSlots cheap for every caller. */
const MAX_WEEKLY_WINDOWS = 7 * 24;

/** Longest range one openSlots call may ask for. */
export const MAX_SLOT_RANGE_DAYS = 62;

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

  async setWeekly(viewer: Viewer, windows: WeeklyWindow[]): Promise<WeeklyWindow[]> {
    if (windows.length > MAX_WEEKLY_WINDOWS)
      throw ValidationFailedError.field('windows', `at most ${MAX_WEEKLY_WINDOWS} weekly windows`);
    checkWindows(windows, 'windows');
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

  /** Sets the windows of each date (an empty list is a day off); `clear` removes overrides. */
  async setOverrides(viewer: Viewer, overrides: DateOverride[], clear: string[] = []): Promise<void> {
    // One write per date: DynamoDB refuses a batch naming a key twice, and "set and clear" is ambiguous.
    const seen = new Set<string>();
    const checkDate = (date: string, field: string) => {
      if (!isCalendarDate(date)) throw ValidationFailedError.field(field, 'date must be a calendar date YYYY-MM-DD');
      if (seen.has(date)) throw ValidationFailedError.field(field, `${date} is given more than once`);
      seen.add(date);
    };
    overrides.forEach((o, i) => {
      checkDate(o.date, `input.overrides.${i}.date`);
      checkWindows(o.windows, `input.overrides.${i}.windows`);
    });
    clear.forEach((date, i) => checkDate(date, `input.clear.${i}`));
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
    if (to <= from) throw ValidationFailedError.field('to', 'to must be after from');
    if (to.getTime() - from.getTime() > MAX_SLOT_RANGE_DAYS * 86_400_000) {
      throw ValidationFailedError.field('to', `a range may span at most ${MAX_SLOT_RANGE_DAYS} days`);
    }
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
  const offering = teacher.offerings.find((o) => o.durationMinutes === durationMinutes);
  if (!offering) {
    const offered = teacher.offerings.map((o) => o.durationMinutes).sort((a, b) => a - b);
    throw ValidationFailedError.field(
      field,
      `this teacher offers ${offered.join(', ') || 'no'} minute lessons, not ${durationMinutes}`,
    );
  }
  return offering;
}

function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}

const TIME = /^([01]\d|2[0-3]):(00|15|30|45)$|^24:00$/;

function checkWindows(windows: TimeWindow[] | WeeklyWindow[], path: string): void {
  windows.forEach((w, i) => {
    if (!TIME.test(w.start))
      throw ValidationFailedError.field(`${path}.${i}.start`, 'start must be HH:mm on the 15-minute grid (e.g. 16:00)');
    if (!TIME.test(w.end))
      throw ValidationFailedError.field(`${path}.${i}.end`, 'end must be HH:mm on the 15-minute grid, or 24:00');
    if (w.end <= w.start) throw ValidationFailedError.field(`${path}.${i}.end`, 'end must be after start');
  });
}
