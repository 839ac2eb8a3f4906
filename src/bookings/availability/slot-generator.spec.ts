import { generateSlots, SlotQuery } from './slot-generator';
import { Weekday } from './availability.types';

const base = (overrides: Partial<SlotQuery>): SlotQuery => ({
  zone: 'America/New_York',
  weekly: [],
  overrides: [],
  from: new Date('2026-03-01T00:00:00Z'),
  to: new Date('2026-03-20T00:00:00Z'),
  durationMinutes: 60,
  bufferMinutes: 0,
  minNoticeHours: 0,
  maxAdvanceDays: 365,
  now: new Date('2026-02-01T00:00:00Z'),
  taken: new Set(),
  ...overrides,
});

const utc = (slots: Array<{ start: Date }>) => slots.map((s) => s.start.toISOString());

describe('generateSlots', () => {
  it('keeps a Tuesday 16:00-18:00 New York window at 16:00 local across the March DST change', () => {
    const slots = generateSlots(
      base({ weekly: [{ weekday: Weekday.TUESDAY, start: '16:00', end: '18:00' }], durationMinutes: 120 }),
    );
    // 2026-03-08 is the US spring-forward Sunday: EST (-05) before, EDT (-04) after.
    expect(utc(slots)).toEqual(['2026-03-03T21:00:00.000Z', '2026-03-10T20:00:00.000Z', '2026-03-17T20:00:00.000Z']);
    expect(slots.map((s) => s.localStart)).toEqual([
      '2026-03-03T16:00:00.000-05:00',
      '2026-03-10T16:00:00.000-04:00',
      '2026-03-17T16:00:00.000-04:00',
    ]);
  });

  it('keeps a Berlin window at local time across the March DST change', () => {
    const slots = generateSlots(
      base({
        zone: 'Europe/Berlin',
        from: new Date('2026-03-23T00:00:00Z'),
        to: new Date('2026-04-04T00:00:00Z'),
        weekly: [{ weekday: Weekday.MONDAY, start: '09:00', end: '10:00' }],
      }),
    );
    // 2026-03-29 is the EU spring-forward Sunday: CET (+01) before, CEST (+02) after.
    expect(utc(slots)).toEqual(['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('on the spring-forward night skips local times that do not exist', () => {
    const slots = generateSlots(
      base({
        from: new Date('2026-03-08T00:00:00Z'),
        to: new Date('2026-03-09T00:00:00Z'),
        overrides: [{ date: '2026-03-08', windows: [{ start: '01:00', end: '04:00' }] }],
        durationMinutes: 30,
      }),
    );
    // 01:00-04:00 local that night is only two real hours: 02:00-02:59 never happens, and a
    // lesson at 01:45 EST ends 30 real minutes later at 03:15 EDT.
    expect(slots.map((s) => s.localStart.slice(11, 16))).toEqual([
      '01:00',
      '01:15',
      '01:30',
      '01:45',
      '03:00',
      '03:15',
      '03:30',
    ]);
    expect(slots[3].end.getTime() - slots[3].start.getTime()).toBe(30 * 60_000);
    expect(slots.every((s) => !s.localStart.slice(11, 13).startsWith('02'))).toBe(true);
  });

  it('moves a window bound that falls in the gap forward', () => {
    const slots = generateSlots(
      base({
        from: new Date('2026-03-08T00:00:00Z'),
        to: new Date('2026-03-09T00:00:00Z'),
        overrides: [{ date: '2026-03-08', windows: [{ start: '02:30', end: '04:30' }] }],
      }),
    );
    expect(slots.map((s) => s.localStart)).toEqual(['2026-03-08T03:30:00.000-04:00']);
  });

  it('ends a window whose end falls in the gap at the transition, not a gap later', () => {
    const slots = generateSlots(
      base({
        from: new Date('2026-03-08T00:00:00Z'),
        to: new Date('2026-03-09T00:00:00Z'),
        overrides: [{ date: '2026-03-08', windows: [{ start: '01:00', end: '02:30' }] }],
        durationMinutes: 30,
      }),
    );
    // 01:00-02:30 that night is 01:00-02:00 EST (the clock then jumps to 03:00 EDT): one hour.
    expect(slots.map((s) => s.localStart.slice(11, 16))).toEqual(['01:00', '01:15', '01:30']);
    expect(slots[slots.length - 1].end.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('on the fall-back night offers both occurrences of the repeated hour, each with its offset', () => {
    const slots = generateSlots(
      base({
        from: new Date('2026-11-01T00:00:00Z'),
        to: new Date('2026-11-02T12:00:00Z'),
        overrides: [{ date: '2026-11-01', windows: [{ start: '00:00', end: '03:00' }] }],
        durationMinutes: 60,
      }),
    );
    const ones = slots.filter((s) => s.localStart.slice(11, 16) === '01:00').map((s) => s.localStart);
    expect(ones).toEqual(['2026-11-01T01:00:00.000-04:00', '2026-11-01T01:00:00.000-05:00']);
    // 00:00-03:00 local that night is four real hours: 13 one-hour starts on the 15-minute grid.
    expect(slots).toHaveLength(13);
    expect(new Set(utc(slots)).size).toBe(13);
  });

  it('honours minimum notice, maximum advance and locks including the buffer', () => {
    const weekly = [{ weekday: Weekday.MONDAY, start: '10:00', end: '13:00' }];
    const now = new Date('2026-03-02T14:00:00Z'); // Monday 09:00 New York
    const noticed = generateSlots(
      base({ weekly, now, from: now, to: new Date('2026-03-03T00:00:00Z'), minNoticeHours: 3 }),
    );
    expect(noticed.map((s) => s.localStart.slice(11, 16))).toEqual(['12:00']);
    const advance = generateSlots(base({ weekly, now, from: now, maxAdvanceDays: 7 }));
    expect(new Set(advance.map((s) => s.localStart.slice(0, 10)))).toEqual(new Set(['2026-03-02', '2026-03-09']));
    // A lesson 11:00-12:00 EDT is locked (with its 15-minute buffer) as 15:00-16:15Z.
    const taken = new Set([
      '2026-03-09T15:00:00.000Z',
      '2026-03-09T15:15:00.000Z',
      '2026-03-09T15:30:00.000Z',
      '2026-03-09T15:45:00.000Z',
      '2026-03-09T16:00:00.000Z',
    ]);
    const window = [{ weekday: Weekday.MONDAY, start: '10:00', end: '13:15' }];
    const around = generateSlots(
      base({
        weekly: window,
        now,
        from: new Date('2026-03-09T00:00:00Z'),
        to: new Date('2026-03-10T00:00:00Z'),
        bufferMinutes: 15,
        taken,
      }),
    );
    // A new 60-minute lesson must end 15 minutes before 11:00 and start after 12:15.
    expect(around.map((s) => s.localStart.slice(11, 16))).toEqual(['12:15']);
    const earlier = generateSlots(
      base({
        weekly: [{ weekday: Weekday.MONDAY, start: '09:00', end: '13:15' }],
        now,
        from: new Date('2026-03-09T00:00:00Z'),
        to: new Date('2026-03-10T00:00:00Z'),
        bufferMinutes: 15,
        taken,
      }),
    );
    expect(earlier.map((s) => s.localStart.slice(11, 16))).toEqual(['09:00', '09:15', '09:30', '09:45', '12:15']);
  });

  it('merges overlapping windows and lets an empty override take a day off', () => {
    const weekly = [
      { weekday: Weekday.WEDNESDAY, start: '10:00', end: '11:00' },
      { weekday: Weekday.WEDNESDAY, start: '10:30', end: '12:00' },
    ];
    const day = { from: new Date('2026-03-04T00:00:00Z'), to: new Date('2026-03-05T00:00:00Z') };
    expect(
      generateSlots(base({ weekly, ...day, durationMinutes: 120 })).map((s) => s.localStart.slice(11, 16)),
    ).toEqual(['10:00']);
    expect(generateSlots(base({ weekly, ...day, overrides: [{ date: '2026-03-04', windows: [] }] }))).toEqual([]);
  });

  it('joins windows across midnight: a lesson may start before and end after it', () => {
    const weekly = [
      { weekday: Weekday.FRIDAY, start: '20:00', end: '24:00' },
      { weekday: Weekday.SATURDAY, start: '00:00', end: '01:00' },
    ];
    const evening = {
      from: new Date('2026-03-13T00:00:00Z'),
      to: new Date('2026-03-15T00:00:00Z'),
      durationMinutes: 90,
    };
    // Friday 2026-03-13 in New York (EDT, -04): 20:00 local is 00:00Z; the last 90-minute start is 23:30.
    const starts = generateSlots(base({ weekly, ...evening })).map((s) => s.localStart.slice(11, 16));
    expect(starts[0]).toBe('20:00');
    expect(starts.slice(-3)).toEqual(['23:00', '23:15', '23:30']);
    // Without Saturday's early window the evening ends at midnight.
    expect(
      generateSlots(base({ weekly, ...evening, overrides: [{ date: '2026-03-14', windows: [] }] }))
        .map((s) => s.localStart.slice(11, 16))
        .slice(-1),
    ).toEqual(['22:30']);
    // A probe of a single start (as the booking check does) sees the next day's window too.
    const probe = new Date('2026-03-14T03:30:00Z'); // 23:30 local
    expect(
      generateSlots(base({ weekly, from: probe, to: new Date(probe.getTime() + 1), durationMinutes: 90 })).map(
        (s) => s.localStart,
      ),
    ).toEqual(['2026-03-13T23:30:00.000-04:00']);
  });
});
