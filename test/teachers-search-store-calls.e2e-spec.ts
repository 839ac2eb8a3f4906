import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';

const PAGE = `query($first: Int!) {
  searchTeachers(first: $first) {
    edges { node {
      id displayName ratingAverage offerings { durationMinutes amountMinor currency } location { city }
      reviews(first: 3) { edges { node { id rating text student { displayName } } } pageInfo { hasNextPage } }
    } }
  }
}`;
const CREATE_REVIEW = `mutation($input: CreateReviewInput!) { createReview(input: $input) { id } }`;

interface PageTeacher {
  id: string;
  reviews: {
    edges: Array<{ node: { id: string; rating: number; text: string; student: { displayName: string } } }>;
    pageInfo: { hasNextPage: boolean };
  };
}

/**
 * A page of teachers with their latest reviews and each review's author costs a constant number of
 * store calls however many teachers it holds: one search, one query for the reviews of every
 * teacher on the page, one batch for the authors.
 */
describe('store calls of a page of teachers with their reviews', () => {
  let t: TestApp;
  let admin: TestAccount;
  const teachers: TestAccount[] = [];
  const students: TestAccount[] = [];
  /** Reviews written per teacher id, oldest first. */
  const written = new Map<string, Array<{ id: string; text: string; student: string }>>();

  beforeAll(async () => {
    // No background jobs: their store calls would land among the measured ones.
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', JOBS_ENABLED: 'false' } });
    admin = await createAccount(t, 'ADMIN');
    for (let i = 0; i < 3; i++) students.push(await createAccount(t, 'STUDENT', { displayName: `Student ${i}` }));
    for (let i = 0; i < 5; i++) teachers.push(await createTeacher(t));
    // Teachers 0-3 get 4, 3, 2 and 1 reviews, teacher 4 none; every student reviews several teachers.
    let hour = 2;
    for (const [ti, count] of [4, 3, 2, 1].entries()) {
      const teacher = teachers[ti];
      written.set(teacher.id, []);
      for (let r = 0; r < count; r++) {
        const student = students[(ti + r) % students.length];
        const start = hoursFromNow(hour);
        hour += 2;
        const { requestLesson } = await student.gql.ok(REQUEST_LESSON, {
          input: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 30, format: 'ONLINE' },
        });
        await teacher.gql.ok(`mutation($id: ID!) { confirmLesson(id: $id) { id } }`, { id: requestLesson.id });
        t.clock.advance(start.getTime() + 31 * 60_000 - t.clock.now().getTime());
        await teacher.gql.ok(`mutation($id: ID!) { completeLesson(id: $id) { id } }`, { id: requestLesson.id });
        const text = `Review ${r} of teacher ${ti}`;
        const { createReview } = await student.gql.ok(CREATE_REVIEW, {
          input: { lessonId: requestLesson.id, rating: 1 + ((ti + r) % 5), text },
        });
        written.get(teacher.id)!.push({ id: createReview.id, text, student: `Student ${(ti + r) % students.length}` });
      }
    }
    // A hidden review leaves the list: teacher 1 shows its two others.
    const hidden = written.get(teachers[1].id)!.pop()!;
    await admin.gql.ok(`mutation($id: ID!) { hideReview(id: $id) { id } }`, { id: hidden.id });
  }, 180_000);
  afterAll(async () => t?.close());

  const snapshot = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await t.metrics.storeCalls.get()).values.map((v) => [
        `${v.labels.store}:${v.labels.operation}`,
        Number(v.value),
      ]),
    );
  /**
   * Waits until no store call happens for a second (bounded): the review events of the set-up are
   * delivered in the background (rating recomputation), and their calls must not be counted.
   */
  const settle = async () => {
    let last = JSON.stringify(await snapshot());
    for (let quiet = 0, i = 0; quiet < 3 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 350));
      const now = JSON.stringify(await snapshot());
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
  };
  const measure = async (first: number) => {
    await settle();
    const before = await snapshot();
    const data = await t.gql.ok(PAGE, { first });
    const after = await snapshot();
    const delta: Record<string, number> = {};
    for (const [key, value] of Object.entries(after))
      if (value !== (before[key] ?? 0)) delta[key] = value - (before[key] ?? 0);
    return { teachers: (data.searchTeachers.edges as Array<{ node: PageTeacher }>).map((e) => e.node), delta };
  };
  const EXPECTED = {
    // the search, then the reviews of every teacher of the page
    'mongodb:aggregate': 2,
    // the authors of those reviews (anonymous: no viewer to check)
    'dynamodb:BatchGetItem': 1,
  };

  it('five teachers: each shows its newest three visible reviews with their authors, for 3 store calls', async () => {
    const { teachers: page, delta } = await measure(5);
    expect(page.map((p) => p.id).sort()).toEqual(teachers.map((x) => x.id).sort());
    for (const p of page) {
      const mine = [...(written.get(p.id) ?? [])].reverse(); // newest first
      expect(p.reviews.edges.map((e) => e.node.text)).toEqual(mine.slice(0, 3).map((r) => r.text));
      expect(p.reviews.edges.map((e) => e.node.student.displayName)).toEqual(mine.slice(0, 3).map((r) => r.student));
      expect(p.reviews.pageInfo.hasNextPage).toBe(mine.length > 3);
    }
    expect(delta).toEqual(EXPECTED);
  });

  it('a page of two costs exactly the same: the count is constant, not per teacher', async () => {
    const { teachers: page, delta } = await measure(2);
    expect(page).toHaveLength(2);
    expect(page.some((p) => p.reviews.edges.length > 0)).toBe(true);
    expect(delta).toEqual(EXPECTED);
  });

  it('different page sizes of the reviews in one request each get their own page', async () => {
    const data = await t.gql.ok(
      `query { searchTeachers(first: 5) { edges { node { id
        one: reviews(first: 1) { edges { node { text } } pageInfo { hasNextPage } }
        all: reviews(first: 10) { edges { node { text } } pageInfo { hasNextPage } } } } } }`,
    );
    for (const { node } of data.searchTeachers.edges as Array<{ node: Record<string, any> }>) {
      const mine = [...(written.get(node.id) ?? [])].reverse().map((r) => r.text);
      expect(node.one.edges.map((e: { node: { text: string } }) => e.node.text)).toEqual(mine.slice(0, 1));
      expect(node.one.pageInfo.hasNextPage).toBe(mine.length > 1);
      expect(node.all.edges.map((e: { node: { text: string } }) => e.node.text)).toEqual(mine);
      expect(node.all.pageInfo.hasNextPage).toBe(false);
    }
  });
});
