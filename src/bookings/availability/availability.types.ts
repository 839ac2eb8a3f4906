import { registerEnumType } from '@nestjs/graphql';

/** ISO weekday numbering (Monday = 1 ... Sunday = 7), as luxon uses. */
export enum Weekday {
  MONDAY = 1,
  TUESDAY = 2,
  WEDNESDAY = 3,
  THURSDAY = 4,
  FRIDAY = 5,
  SATURDAY = 6,
  SUNDAY = 7,
}
registerEnumType(Weekday, {
  name: 'Weekday',
  description: 'A day of the week (weekly availability repeats on it).',
  valuesMap: {
    MONDAY: { description: 'Monday.' },
    TUESDAY: { description: 'Tuesday.' },
    WEDNESDAY: { description: 'Wednesday.' },
    THURSDAY: { description: 'Thursday.' },
    FRIDAY: { description: 'Friday.' },
    SATURDAY: { description: 'Saturday.' },
    SUNDAY: { description: 'Sunday.' },
  },
});

/** Local wall-clock times in the teacher's zone, "HH:mm" on the 15-minute grid; end may be "24:00". */
export interface TimeWindow {
  start: string;
  end: string;
}

export interface WeeklyWindow extends TimeWindow {
  weekday: Weekday;
}

/** A date's own windows replace the weekly ones for that date; an empty list is a day off. */
export interface DateOverride {
  date: string;
  windows: TimeWindow[];
}
