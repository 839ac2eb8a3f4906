import { registerDecorator, ValidationOptions } from 'class-validator';
import { FieldProblem, isCalendarDate } from '@app/common';

/** Most weekly windows a teacher may set: enough for any real week (7 days of hourly blocks). */
export const MAX_WEEKLY_WINDOWS = 7 * 24;

/** Longest range one openSlots call may ask for. */
export const MAX_SLOT_RANGE_DAYS = 62;

/** Local wall-clock time on the 15-minute grid; a window may end at 24:00. */
const TIME = /^([01]\d|2[0-3]):(00|15|30|45)$|^24:00$/;

export function IsTimeOfDay(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeOfDay',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be HH:mm on the 15-minute grid (e.g. 16:00; an end may be 24:00)',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && TIME.test(value) },
    });
}

/** A window ends after it starts (both already on the grid, or reported by their own rule). */
export function windowProblems(window: { start?: unknown; end?: unknown }): FieldProblem[] {
  const { start, end } = window;
  if (typeof start !== 'string' || typeof end !== 'string' || !TIME.test(start) || !TIME.test(end)) return [];
  return end <= start ? [{ field: 'end', message: 'end must be after start' }] : [];
}

/**
 * Each date is set or cleared once per call (one write per date; "set and clear" is ambiguous), and
 * each date to clear is a calendar date (checked here to name its index).
 */
export function overrideDatesProblems(input: {
  overrides?: Array<{ date?: unknown }>;
  clear?: unknown[];
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<unknown>();
  const once = (date: unknown, field: string) => {
    if (typeof date !== 'string') return;
    if (seen.has(date)) problems.push({ field, message: `${date} is given more than once` });
    seen.add(date);
  };
  (Array.isArray(input.overrides) ? input.overrides : []).forEach((o, i) => once(o?.date, `overrides.${i}.date`));
  (Array.isArray(input.clear) ? input.clear : []).forEach((date, i) => {
    if (isCalendarDate(date)) once(date, `clear.${i}`);
    else problems.push({ field: `clear.${i}`, message: 'a date to clear must be a calendar date YYYY-MM-DD' });
  });
  return problems;
}
