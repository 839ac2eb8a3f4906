import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';
import { OutboxRelay } from '../src/events/outbox-relay.service';

const CREATE = `mutation($input: CreateReviewInput!) { createReview(input: $input) { id rating text reply { text } hidden student { id } } }`;
const REPLY = `mutation($id: ID!, $text: String!) { replyToReview(reviewId: $id, text: $text) { id reply { text at } } }`;
const HIDE = `mutation($id: ID!) { hideReview(id: $id, reason: "abusive") { id hidden } }`;
const UNHIDE = `mutation($id: ID!) { unhideReview(id: $id) { id hidden } }`;
const RATING = `query($id: ID!) { teacher(id: $id) { ratingAverage ratingCount reviews(first: 100) { edges { node { id rating } } } } }`;
const LIST = `query($id: ID!, $first: Int, $after: String) { teacherReviews(teacherId: $id, first: $first, after: $after) { edges { node { id text } } pageInfo { hasNextPage endCursor } } }`;

describe('reviews', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let admin: TestAccount;
  const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    teacher = await createTeacher(t);
    admin = await createAccount(t, 'ADMIN');
  });
  afterAll(async () => t?.close());

  let hour = 2;
  /** A lesson of `student` with the teacher, walked to COMPLETED (or left at `status`). */
  async function lesson(student: TestAccount, status: 'COMPLETED' | 'CONFIRMED' = 'COMPLETED'): Promise<string> {
    const start = hoursFromNow(hour);
    hour += 2;
    const { requestLesson } = await student.gql.ok(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: start.toISOString(), durationMinutes: 30, format: 'ONLINE' },
    });
    await teacher.gql.ok(`mutation($id: ID!) { confirmLesson(id: $id) { id } }`, { id: requestLesson.id });
    if (status === 'COMPLETED') {
      t.clock.advance(start.getTime() + 31 * 60_000 - t.clock.now().getTime());
      await teacher.gql.ok(`mutation($id: ID!) { completeLesson(id: $id) { id } }`, { id: requestLesson.id });
    }
    return requestLesson.id;
  }
  // The rating follows the reviews through domain events: wait for their delivery first.
  const rating = async () => {
    await t.app.get(OutboxRelay).idle();
    return (await t.gql.ok(RATING, { id: teacher.id })).teacher;
  };

  it('a student reviews a completed lesson once; the profile rating follows exactly under concurrency', async () => {
    const students = await Promise.all(Array.from({ length: 6 }, () => createAccount(t, 'STUDENT')));
    const lessons: Array<[TestAccount, string]> = [];
    for (const s of students) lessons.push([s, await lesson(s)]);
    const ratings = [5, 4, 3, 5, 2, 5];
    const created = await Promise.all(
      lessons.map(([s, id], i) =>
        s.gql.ok(CREATE, { input: { lessonId: id, rating: ratings[i], text: `Review ${i}` } }),
      ),
    );
    expect(created.map((c) => c.createReview.student.id)).toEqual(students.map((s) => s.id));
    const after = await rating();
    expect(after.ratingCount).toBe(6);
    expect(after.ratingAverage).toBeCloseTo(24 / 6, 2);
    expect(after.reviews.edges).toHaveLength(6);

    // The same lesson twice, concurrently: one review.
    const [s, id] = [students[0], await lesson(students[0])];
    const twice = await Promise.all(
      [1, 2, 3].map(() => s.gql.request(CREATE, { input: { lessonId: id, rating: 1, text: 'again' } })),
    );
    expect(twice.filter((r) => r.data?.createReview)).toHaveLength(1);
    expect(twice.filter((r) => code(r) === 'CONFLICT')).toHaveLength(2);
    expect((await rating()).ratingCount).toBe(7);
  });

  it('refuses lessons that are not completed, not yours, or input out of range', async () => {
    const student = await createAccount(t, 'STUDENT');
    const confirmed = await lesson(student, 'CONFIRMED');
    const notDone = await student.gql.request(CREATE, { input: { lessonId: confirmed, rating: 5, text: 'early' } });
    expect(code(notDone)).toBe('CONFLICT');
    expect(notDone.errors![0].extensions!.currentStatus).toBe('CONFIRMED');
    const done = await lesson(student);
    const stranger = await createAccount(t, 'STUDENT');
    expect(code(await stranger.gql.request(CREATE, { input: { lessonId: done, rating: 5, text: 'not mine' } }))).toBe(
      'FORBIDDEN',
    );
    const bad = await student.gql.request(CREATE, { input: { lessonId: done, rating: 6, text: '' } });
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'input.rating',
      'input.text',
    ]);
  });

  it('the teacher replies once; nobody else may', async () => {
    const student = await createAccount(t, 'STUDENT');
    const review = (
      await student.gql.ok(CREATE, { input: { lessonId: await lesson(student), rating: 4, text: 'Great' } })
    ).createReview;
    expect(code(await student.gql.request(REPLY, { id: review.id, text: 'me too' }))).toBe('FORBIDDEN');
    const replies = await Promise.all(
      [1, 2].map((i) => teacher.gql.request(REPLY, { id: review.id, text: `Thanks ${i}` })),
    );
    expect(replies.filter((r) => r.data?.replyToReview)).toHaveLength(1);
    expect(replies.filter((r) => code(r) === 'CONFLICT')).toHaveLength(1);
  });

  it('an admin hides a review: it leaves the list and the rating; hiding twice counts once', async () => {
    const before = await rating();
    const student = await createAccount(t, 'STUDENT');
    const review = (
      await student.gql.ok(CREATE, { input: { lessonId: await lesson(student), rating: 1, text: 'rude words' } })
    ).createReview;
    expect((await rating()).ratingCount).toBe(before.ratingCount + 1);
    await Promise.all([admin.gql.ok(HIDE, { id: review.id }), admin.gql.ok(HIDE, { id: review.id })]);
    const hidden = await rating();
    expect(hidden.ratingCount).toBe(before.ratingCount);
    expect(hidden.ratingAverage).toBeCloseTo(before.ratingAverage, 2);
    expect(hidden.reviews.edges.map((e: any) => e.node.id)).not.toContain(review.id);
    expect(code(await teacher.gql.request(HIDE, { id: review.id }))).toBe('FORBIDDEN');
    await admin.gql.ok(UNHIDE, { id: review.id });
    expect((await rating()).ratingCount).toBe(before.ratingCount + 1);
  });

  it('lists newest first with stable pages', async () => {
    const all = (await t.gql.ok(LIST, { id: teacher.id, first: 100 })).teacherReviews.edges.map((e: any) => e.node.id);
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = (await t.gql.ok(LIST, { id: teacher.id, first: 3, after })).teacherReviews;
      paged.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
    } while (after);
    expect(paged).toEqual(all);
    expect([...all].sort().reverse()).toEqual(all); // ULIDs of reviews made in order: newest first
  });

  it('totalCount counts the visible reviews of every page, on both lists', async () => {
    const COUNT = `query($id: ID!) {
      teacherReviews(teacherId: $id, first: 1) { totalCount edges { node { id } } }
      teacher(id: $id) { reviews(first: 1) { totalCount } }
    }`;
    const all = (await t.gql.ok(LIST, { id: teacher.id, first: 100 })).teacherReviews.edges;
    expect(all.length).toBeGreaterThan(1);
    const counted = await t.gql.ok(COUNT, { id: teacher.id });
    expect(counted.teacherReviews.edges).toHaveLength(1);
    expect(counted.teacherReviews.totalCount).toBe(all.length);
    expect(counted.teacher.reviews.totalCount).toBe(all.length);
    await admin.gql.ok(HIDE, { id: all[0].node.id });
    expect((await t.gql.ok(COUNT, { id: teacher.id })).teacherReviews.totalCount).toBe(all.length - 1);
    await admin.gql.ok(UNHIDE, { id: all[0].node.id });
  });
});
