import { createAccount, createTeacher, hoursFromNow, startTestApp, TestAccount, TestApp } from '@app/testing';

/** One answer names every invalid field of an input: field rules, cross-field rules and the service's checks. */
describe('validation reports every problem at once', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;

  type Res = Awaited<ReturnType<TestApp['gql']['request']>>;
  const problems = (res: Res): Record<string, string> => {
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    return Object.fromEntries(
      (res.errors![0].extensions!.fields as Array<{ field: string; message: string }>).map((f) => [f.field, f.message]),
    );
  };

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    [teacher, student] = await Promise.all([
      createTeacher(t, {
        formats: ['ONLINE'],
        offerings: [{ durationMinutes: 60, amountMinor: 4000, currency: 'EUR' }],
      }),
      createAccount(t, 'STUDENT'),
    ]);
  });
  afterAll(async () => t?.close());

  it('upsertMyTeacherProfile: field rules and profile rules together', async () => {
    const res = await teacher.gql.request(
      'mutation($i: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $i) { id } }',
      {
        i: {
          languages: ['en', 'xx'],
          socialLinks: [
            { network: 'YOUTUBE', url: 'https://vimeo.com/123' },
            { network: 'WEBSITE', url: 'not a url' },
          ],
          instruments: [
            { name: 'Piano', levels: ['BEGINNER'] },
            { name: 'piano', levels: ['ADVANCED'] },
          ],
          offerings: [
            { durationMinutes: 60, amountMinor: 100, currency: 'EUR' },
            { durationMinutes: 60, amountMinor: 200, currency: 'EURO' },
          ],
          headline: 'h'.repeat(121),
        },
      },
    );
    const found = problems(res);
    expect(Object.keys(found).sort()).toEqual(
      [
        'input.headline',
        'input.instruments.1.name',
        'input.languages',
        'input.offerings.1.currency',
        'input.offerings.1.durationMinutes',
        'input.socialLinks.0.url',
        'input.socialLinks.1.url',
      ].sort(),
    );
    expect(found['input.socialLinks.0.url']).toMatch(/youtube\.com/);
    expect(found['input.instruments.1.name']).toMatch(/twice/);
    expect(res.errors![0].message).toContain('input.languages');
    expect(res.errors![0].message).toContain('input.socialLinks.0.url');
  });

  it('setWeeklyAvailability: a reversed window and an off-grid one', async () => {
    const res = await teacher.gql.request(
      'mutation($w: [AvailabilityWindowInput!]!) { setWeeklyAvailability(windows: $w) { weekday } }',
      {
        w: [
          { weekday: 'MONDAY', start: '10:00', end: '09:00' },
          { weekday: 'TUESDAY', start: '10:07', end: '11:00' },
          { weekday: 'WEDNESDAY', start: '10:00', end: '11:00' },
          { weekday: 'THURSDAY', start: '25:00', end: '24:30' },
        ],
      },
    );
    expect(Object.keys(problems(res)).sort()).toEqual(
      ['windows.0.end', 'windows.1.start', 'windows.3.end', 'windows.3.start'].sort(),
    );
    // Nothing was replaced.
    const { myWeeklyAvailability } = await teacher.gql.ok('{ myWeeklyAvailability { weekday } }');
    expect(myWeeklyAvailability).toHaveLength(7);
  });

  it('setAvailabilityOverrides: bad dates, a date twice and a reversed window', async () => {
    const res = await teacher.gql.request(
      'mutation($i: SetAvailabilityOverridesInput!) { setAvailabilityOverrides(input: $i) }',
      {
        i: {
          overrides: [
            { date: '2031-02-30', windows: [] },
            { date: '2031-03-01', windows: [{ start: '12:00', end: '11:00' }] },
          ],
          clear: ['2031-03-01', 'soon'],
        },
      },
    );
    expect(Object.keys(problems(res)).sort()).toEqual(
      ['input.clear.0', 'input.clear.1', 'input.overrides.0.date', 'input.overrides.1.windows.0.end'].sort(),
    );
  });

  it('requestLesson: a length and a format not offered, and a start off the grid', async () => {
    const start = new Date(hoursFromNow(72).getTime() + 7 * 60_000);
    const res = await student.gql.request('mutation($i: RequestLessonInput!) { requestLesson(input: $i) { id } }', {
      i: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 45, format: 'STUDENT_HOME' },
    });
    expect(Object.keys(problems(res)).sort()).toEqual(['input.durationMinutes', 'input.format', 'input.start']);
  });

  it('requestLessonSeries: occurrences and until together, and a note too long', async () => {
    const res = await student.gql.request(
      'mutation($i: RequestLessonSeriesInput!) { requestLessonSeries(input: $i) { id } }',
      {
        i: {
          teacherId: teacher.id,
          start: hoursFromNow(72).toISOString(),
          durationMinutes: 60,
          format: 'ONLINE',
          occurrences: 4,
          until: '2031-13-01',
          note: 'n'.repeat(1001),
        },
      },
    );
    expect(Object.keys(problems(res)).sort()).toEqual(['input.note', 'input.occurrences', 'input.until']);
  });

  it('openSlots and myLessons: a reversed range with another bad argument', async () => {
    const slots = await t.gql.request(
      'query($id: ID!) { openSlots(teacherId: $id, from: "2031-01-10T00:00:00Z", to: "2031-01-01T00:00:00Z", durationMinutes: 60, timeZone: "Mars/Base") { start } }',
      { id: teacher.id },
    );
    expect(Object.keys(problems(slots)).sort()).toEqual(['timeZone', 'to']);
    const lessons = await student.gql.request(
      '{ myLessons(as: AS_STUDENT, from: "2031-01-10T00:00:00Z", to: "2031-01-01T00:00:00Z", first: 0) { edges { cursor } } }',
    );
    expect(Object.keys(problems(lessons)).sort()).toEqual(['first', 'to']);
  });

  it('searchTeachers: field rules and what a sort needs', async () => {
    const res = await t.gql.request(
      '{ searchTeachers(filter: { language: "english", text: "!", price: { durationMinutes: 60, currency: "EUR", minAmountMinor: 500, maxAmountMinor: 100 } }, sort: DISTANCE, first: 500) { edges { cursor } } }',
    );
    expect(Object.keys(problems(res)).sort()).toEqual(
      ['filter.language', 'filter.price.maxAmountMinor', 'filter.text', 'first', 'sort'].sort(),
    );
  });

  it('updateMe and myAvailabilityOverrides: every argument', async () => {
    const me = await student.gql.request(
      'mutation { updateMe(input: { displayName: "", timeZone: "Nowhere/City" }) { id } }',
    );
    expect(Object.keys(problems(me)).sort()).toEqual(['input.displayName', 'input.timeZone']);
    const overrides = await teacher.gql.request(
      '{ myAvailabilityOverrides(fromDate: "2031-02-31", toDate: "yesterday") { date } }',
    );
    expect(Object.keys(problems(overrides)).sort()).toEqual(['fromDate', 'toDate']);
    const reversed = await teacher.gql.request(
      '{ myAvailabilityOverrides(fromDate: "2031-03-01", toDate: "2031-02-01") { date } }',
    );
    expect(Object.keys(problems(reversed))).toEqual(['toDate']);
  });
});
