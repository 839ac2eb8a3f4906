import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  settle,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';

const PAGE = `query($first: Int!) {
  myLessons(as: AS_STUDENT, first: $first) { edges { node { id teacher { displayName } student { displayName } teacherProfile { slug } } } }
}`;

/**
 * A page of lessons costs a constant number of store calls however many lessons and teachers it
 * holds: the per-request loaders batch the users (DynamoDB) and the teacher profiles (MongoDB).
 */
describe('store calls of a page of lessons', () => {
  let t: TestApp;
  let student: TestAccount;
  const teachers: TestAccount[] = [];

  beforeAll(async () => {
    // No background jobs during the measurements: their polls would add store calls.
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', JOBS_ENABLED: 'false' } });
    for (let i = 0; i < 5; i++) {
      const teacher = await createTeacher(t);
      await teacher.gql.ok(`mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }`, {
        input: { displayName: `Teacher number ${i}` },
      });
      teachers.push(teacher);
    }
    student = await createAccount(t, 'STUDENT', { displayName: 'The one student' });
    // 50 lessons, ten with each teacher, interleaved in time so a page mixes teachers.
    for (let i = 0; i < 50; i++) {
      const teacher = teachers[i % 5];
      await student.gql.ok(REQUEST_LESSON, {
        input: {
          teacherId: teacher.id,
          start: hoursFromNow(24 + i).toISOString(),
          durationMinutes: 30,
          format: 'ONLINE',
        },
      });
    }
    // Each request's outbox consumers (payments opens the card payment at the provider, chat posts
    // a lesson card) run after the response: let them finish so that their store calls are not
    // counted with the page's.
    await settle(t);
  }, 120_000);
  afterAll(async () => t?.close());

  /** Calls per `store:operation`; prom-client hands out live objects, so the numbers are copied. */
  const snapshot = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await t.metrics.storeCalls.get()).values.map((v) => [
        `${v.labels.store}:${v.labels.operation}`,
        Number(v.value),
      ]),
    );
  const measure = async (first: number) => {
    await settle(t); // lesson mails and sign-up mails go out off the request path
    const before = await snapshot();
    const data = await student.gql.ok(PAGE, { first });
    const after = await snapshot();
    const delta: Record<string, number> = {};
    for (const [key, value] of Object.entries(after))
      if (value !== (before[key] ?? 0)) delta[key] = value - (before[key] ?? 0);
    return {
      edges: data.myLessons.edges as Array<{
        node: {
          id: string;
          teacher: { displayName: string };
          student: { displayName: string };
          teacherProfile: { slug: string } | null;
        };
      }>,
      delta,
    };
  };
  const EXPECTED = {
    // the guard's batch (the viewer and their session), the page, the users of the page
    'dynamodb:BatchGetItem': 2,
    'dynamodb:Query': 1,
    // the teacher profiles of the page
    'mongodb:find': 1,
  };

  it('50 lessons with 5 teachers: 2 BatchGetItem + 1 Query on DynamoDB and 1 find on MongoDB, nothing else', async () => {
    const { edges, delta } = await measure(50);
    expect(edges).toHaveLength(50);
    // The page really resolved five different teachers, their profiles and the student.
    expect(new Set(edges.map((e) => e.node.teacher.displayName))).toEqual(
      new Set(teachers.map((_, i) => `Teacher number ${i}`)),
    );
    expect(new Set(edges.map((e) => e.node.student.displayName))).toEqual(new Set(['The one student']));
    const profileSlugs = new Set(edges.map((e) => e.node.teacherProfile?.slug));
    expect(profileSlugs.size).toBe(5);
    expect([...profileSlugs].every((s) => typeof s === 'string' && s.startsWith('t-'))).toBe(true);
    expect(delta).toEqual(EXPECTED);
  });

  it('a page of 10 costs exactly the same: the count is constant, not per lesson', async () => {
    const { edges, delta } = await measure(10);
    expect(edges).toHaveLength(10);
    expect(new Set(edges.map((e) => e.node.teacher.displayName)).size).toBe(5);
    expect(delta).toEqual(EXPECTED);
  });
});
