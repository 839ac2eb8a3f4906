import { DateTime } from 'luxon';
import { GRANULE_MINUTES, granulesFor } from '../granules';
import type { DateOverride, TimeWindow, WeeklyWindow } from './availability.types';

export interface SlotQuery {
  zone: string;
  weekly: WeeklyWindow[];
  overrides: DateOverride[];
  /** Slot starts in [from, to). */
  from: Date;
  to: Date;
  durationMinutes: number;
  bufferMinutes: number;
  minNoticeHours: number;
  maxAdvanceDays: number;
  now: Date;
  /** Granule starts already locked by other lessons. */
  taken: ReadonlySet<string>;
}

export interface Slot {
  start: Date;
  end: Date;
  /** ISO-8601 in the teacher's zone, with its offset (e.g. 2026-03-10T16:00:00.000-04:00). */
  localStart: string;
}

const GRANULE_MS = GRANULE_MINUTES * 60_000;

/**
 * The instant of a local wall time. Deliberate daylight-saving rules (tested):
 * - a start that does not exist (the spring-forward gap) moves forward by the gap, so a window
 *   starting at 02:30 on that night starts at 03:30; an end in the gap is the transition itself
 *   (the wall clock jumps past it there), so 01:00-02:30 that night is one hour;
 * - a time that occurs twice (the fall-back hour) means its first occurrence. Windows are
 *   walked instant by instant, so a window covering the repeated hour offers both occurrences,
 *   each labelled with its own offset.
 */
export function localToInstant(date: DateTime, time: string, zone: string, bound: 'start' | 'end' = 'start'): DateTime {
  const [hour, minute] = time.split(':').map(Number);
  const midnight = DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone });
  if (hour === 24) return midnight.plus({ days: 1 }).startOf('day');
  const resolved = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour, minute }, { zone });
  const existed = resolved.hour === hour && resolved.minute === minute;
  if (existed || bound === 'start') return resolved;
  // An end inside the gap: the wall clock jumps past it at the transition, so the window ends
  // there, not a gap's length later. Find the transition on the 15-minute grid.
  const gapMinutes = resolved.offset - DateTime.fromMillis(resolved.toMillis() - 6 * 3_600_000, { zone }).offset;
  for (let t = resolved.minus({ minutes: gapMinutes }); t < resolved; t = t.plus({ minutes: 15 })) {
    if (t.offset === resolved.offset) return t;
  }
  return resolved;
}

/** A day's windows as merged instant intervals (overlapping or touching windows join). */
function dayIntervals(day: DateTime, windows: TimeWindow[], zone: string): Array<[number, number]> {
  const raw = windows
    .map(
      (w) =>
        [localToInstant(day, w.start, zone).toMillis(), localToInstant(day, w.end, zone, 'end').toMillis()] as [
          number,
          number,
        ],
    )
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [s, e] of raw) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Every bookable start in the range, honouring windows, overrides, policies and taken granules. */
export function generateSlots(q: SlotQuery): Slot[] {
  const overrides = new Map(q.overrides.map((o) => [o.date, o.windows]));
  const earliest = Math.max(q.from.getTime(), q.now.getTime() + q.minNoticeHours * 3_600_000);
  const latest = Math.min(q.to.getTime() - 1, q.now.getTime() + q.maxAdvanceDays * 86_400_000);
  if (latest < earliest) return [];
  const durationMs = q.durationMinutes * 60_000;

  // The days' intervals, joined across midnight too (a window to 24:00 and one from 00:00 the next
  // day are one stretch), up to the day a lesson starting at `latest` ends.
  const intervals: Array<[number, number]> = [];
  let day = DateTime.fromMillis(earliest, { zone: q.zone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromMillis(latest + durationMs, { zone: q.zone }).startOf('day');
  for (; day <= lastDay; day = day.plus({ days: 1 })) {
    const windows = overrides.get(day.toISODate()!) ?? q.weekly.filter((w) => w.weekday === day.weekday);
    for (const [ws, we] of dayIntervals(day, windows, q.zone)) {
      const last = intervals[intervals.length - 1];
      if (last && ws <= last[1]) last[1] = Math.max(last[1], we);
      else intervals.push([ws, we]);
    }
  }

  const slots: Slot[] = [];
  const seen = new Set<number>();
  for (const [ws, we] of intervals) {
    for (let t = Math.ceil(ws / GRANULE_MS) * GRANULE_MS; t + durationMs <= we; t += GRANULE_MS) {
      if (t < earliest || t > latest || seen.has(t)) continue;
      const start = new Date(t);
      const end = new Date(t + durationMs);
      if (granulesFor(start, end, q.bufferMinutes).some((g) => q.taken.has(g))) continue;
      seen.add(t);
      slots.push({ start, end, localStart: DateTime.fromMillis(t, { zone: q.zone }).toISO()! });
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}
