import { createAccount, createTeacher, REQUEST_LESSON, startTestApp, TestAccount, TestApp } from '@app/testing';

const OPEN_SLOTS = `query($teacherId: ID!, $from: DateTime!, $to: DateTime!, $d: Int!, $tz: TimeZone) {
  openSlots(teacherId: $teacherId, from: $from, to: $to, durationMinutes: $d, timeZone: $tz) { start teacherLocalStart studentLocalStart }
}`;

/** Daylight-saving weeks through the API: windows keep their local time, instants shift. */
describe('bookings across daylight-saving changes', () => {
  let t: TestApp;
  let student: TestAccount;
  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    student = await createAccount(t, 'STUDENT');
  });
  afterAll(async () => t?.close());

  const slots = async (teacher: TestAccount, from: string, to: string, d = 60, tz?: string) =>
    (await t.gql.ok(OPEN_SLOTS, { teacherId: teacher.id, from, to, d, tz })).openSlots as Array<{
      start: string;
      teacherLocalStart: string;
      studentLocalStart: string | null;
    }>;

  it('America/New_York: a Tuesday 16:00-20:00 window stays at 16:00 local across the March 2027 change', async () => {
    const teacher = await createTeacher(t, {
      timeZone: 'America/New_York',
      weekly: [{ weekday: 'TUESDAY', start: '16:00', end: '20:00' }],
    });
    // 2027-03-14 is the US spring-forward Sunday.
    const open = await slots(teacher, '2027-03-08T00:00:00Z', '2027-03-22T00:00:00Z', 60, 'Europe/Berlin');
    const firsts = open.filter((s) => s.teacherLocalStart.slice(11, 16) === '16:00');
    expect(firsts.map((s) => [s.start, s.teacherLocalStart])).toEqual([
      ['2027-03-09T21:00:00.000Z', '2027-03-09T16:00:00.000-05:00'],
      ['2027-03-16T20:00:00.000Z', '2027-03-16T16:00:00.000-04:00'],
    ]);
    // Berlin changes two weeks later, so for a student there the lesson moves from 22:00 to 21:00.
    expect(firsts.map((s) => s.studentLocalStart)).toEqual([
      '2027-03-09T22:00:00.000+01:00',
      '2027-03-16T21:00:00.000+01:00',
    ]);
    expect(open.filter((s) => s.teacherLocalStart.startsWith('2027-03-09'))).toHaveLength(13); // 16:00 … 19:00 in 15-minute steps
    const booked = (
      await student.gql.ok(REQUEST_LESSON, {
        input: { teacherId: teacher.id, start: '2027-03-16T20:00:00.000Z', durationMinutes: 60, format: 'ONLINE' },
      })
    ).requestLesson;
    expect(booked.teacherLocalStart).toBe('2027-03-16T16:00:00.000-04:00');
    // 16:00 EST (21:00Z) is not a slot in the EDT week: it would be 17:00 local.
    const off = await student.gql.request(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: '2027-03-16T21:30:00.000Z', durationMinutes: 60, format: 'ONLINE' },
    });
    expect(off.data?.requestLesson?.teacherLocalStart).toBe('2027-03-16T17:30:00.000-04:00');
  });

  it('Europe/Berlin: a Monday 09:00 window across the March 2027 change, and the October fall-back night', async () => {
    const teacher = await createTeacher(t, {
      timeZone: 'Europe/Berlin',
      weekly: [{ weekday: 'MONDAY', start: '09:00', end: '10:00' }],
    });
    // 2027-03-28 is the EU spring-forward Sunday.
    const spring = await slots(teacher, '2027-03-22T00:00:00Z', '2027-04-05T00:00:00Z');
    expect(spring.map((s) => [s.start, s.teacherLocalStart])).toEqual([
      ['2027-03-22T08:00:00.000Z', '2027-03-22T09:00:00.000+01:00'],
      ['2027-03-29T07:00:00.000Z', '2027-03-29T09:00:00.000+02:00'],
    ]);
    // 2027-10-31 is the EU fall-back Sunday: 02:00-03:00 happens twice. A 01:00-04:00 override
    // that night is four real hours, and both 02:30s are bookable as different instants.
    await teacher.gql.ok(
      `mutation($input: SetAvailabilityOverridesInput!) { setAvailabilityOverrides(input: $input) }`,
      {
        input: { overrides: [{ date: '2027-10-31', windows: [{ start: '01:00', end: '04:00' }] }] },
      },
    );
    const night = await slots(teacher, '2027-10-30T22:00:00Z', '2027-10-31T04:00:00Z', 30);
    const twoThirty = night.filter((s) => s.teacherLocalStart.slice(11, 16) === '02:30');
    expect(twoThirty.map((s) => s.teacherLocalStart)).toEqual([
      '2027-10-31T02:30:00.000+02:00',
      '2027-10-31T02:30:00.000+01:00',
    ]);
    expect(night).toHaveLength((4 * 60 - 30) / 15 + 1);
    for (const s of twoThirty) {
      const lesson = (
        await student.gql.ok(REQUEST_LESSON, {
          input: { teacherId: teacher.id, start: s.start, durationMinutes: 30, format: 'ONLINE' },
        })
      ).requestLesson;
      expect(lesson.teacherLocalStart).toBe(s.teacherLocalStart);
    }
  });

  it('America/New_York spring-forward night: 02:xx does not exist and is never offered', async () => {
    const teacher = await createTeacher(t, { timeZone: 'America/New_York', weekly: [] });
    await teacher.gql.ok(
      `mutation($input: SetAvailabilityOverridesInput!) { setAvailabilityOverrides(input: $input) }`,
      {
        input: { overrides: [{ date: '2027-03-14', windows: [{ start: '01:00', end: '04:00' }] }] },
      },
    );
    const night = await slots(teacher, '2027-03-14T00:00:00Z', '2027-03-15T00:00:00Z', 60);
    expect(night.some((s) => s.teacherLocalStart.slice(11, 13) === '02')).toBe(false);
    // 01:00 EST to 04:00 EDT is two real hours: one-hour starts 01:00 … 03:00 on the 15-minute grid.
    expect(night.map((s) => s.teacherLocalStart.slice(11, 16))).toEqual(['01:00', '01:15', '01:30', '01:45', '03:00']);
  });
});
