import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const NESTED = `query Nested($n: Int) {
  searchTeachers(first: $n) { edges { node { id reviews(first: $n) { edges { node { id student { id displayName } } } } } } }
}`;

const LESSON_PAGE = `query($first: Int, $after: String) {
  myLessons(as: AS_STUDENT, first: $first, after: $after) {
    edges { cursor node {
      id status start end durationMinutes format note teacherLocalStart teacherTimeZone seriesId pendingExpiresAt createdAt updatedAt
      price { amountMinor currency }
      cancellation { by reason late feePercent }
      history { action at by from to reason previousStart }
      teacher { id displayName roles }
      student { id displayName roles }
      teacherProfile {
        id slug displayName headline timeZone formats languages genres ratingAverage ratingCount
        instruments { name levels } offerings { durationMinutes amountMinor currency }
        location { city country latitude longitude approximate } policies { minNoticeHours cancellationNoticeHours }
        socialLinks { network url } user { id displayName }
      }
    } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const SEARCH_PAGE = `query($first: Int, $reviews: Int) {
  searchTeachers(first: $first) {
    edges { cursor node {
      id slug displayName headline bio formats languages genres ratingAverage ratingCount distanceKm mediaIds published
      instruments { name levels } offerings { durationMinutes amountMinor currency }
      location { city region country latitude longitude approximate }
      policies { minNoticeHours maxAdvanceDays bufferMinutes cancellationNoticeHours lateCancellationFeePercent }
      socialLinks { network url } user { id displayName createdAt }
      reviews(first: $reviews) { edges { node { id rating text createdAt student { id displayName } reply { text at } } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The cost limit sees the operation's variables, says what it is, and lets every documented maximum through. */
describe('query cost limit', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  let admin: TestAccount;

  const executedResolvers = async () => {
    const metric = await t.metrics.graphqlDuration.get();
    return metric.values
      .filter((v) => v.metricName?.endsWith('_count') && v.labels.outcome === 'success')
      .reduce((s, v) => s + v.value, 0);
  };
  const expectCostRefusal = (res: Awaited<ReturnType<TestApp['gql']['request']>>, cost: number) => {
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors!;
    expect(error.message).toMatch(/^Query cost limit exceeded: this operation costs \d+, the limit is 5000/);
    expect(error.message).not.toMatch(/syntax/i);
    expect(error.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', cost, maxCost: 5000 });
  };

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
    [teacher, student, admin] = await Promise.all([
      createTeacher(t),
      createAccount(t, 'STUDENT'),
      createAccount(t, 'ADMIN'),
    ]);
    for (const hours of [30, 50, 70])
      await student.gql.ok(REQUEST_LESSON, {
        input: {
          teacherId: teacher.id,
          start: hoursFromNow(hours).toISOString(),
          durationMinutes: 60,
          format: 'ONLINE',
        },
      });
  });
  afterAll(async () => t?.close());

  it('counts page sizes given in variables exactly as literals (no bypass)', async () => {
    const before = await executedResolvers();
    expectCostRefusal(await student.gql.request(NESTED, { n: 100 }), 30402);
    expectCostRefusal(await student.gql.request(NESTED.replace(/\$n\)/g, '100)').replace('($n: Int)', '')), 30402);
    // A default in the operation counts too, and so does the schema's default page size (20).
    expectCostRefusal(await student.gql.request(NESTED.replace('$n: Int', '$n: Int = 100')), 30402);
    expect(await executedResolvers()).toBe(before);
  });

  it('counts fragments and aliases', async () => {
    const res = await student.gql.request(
      `query($n: Int!) { a: searchTeachers(first: $n) { ...Page } b: searchTeachers(first: $n) { ...Page } }
       fragment Page on TeacherConnection { edges { node { reviews(first: $n) { edges { node { student { id } } } } } } }`,
      { n: 30 },
    );
    expect(res.errors?.[0].message).toMatch(/^Query cost limit exceeded/);
  });

  it('refuses abusive nesting under a page of lessons', async () => {
    const res = await student.gql.request(
      `query($n: Int) { myLessons(as: AS_STUDENT, first: $n) { edges { node { teacherProfile {
         reviews(first: $n) { edges { node { student { id } } } } } } } } }`,
      { n: 100 },
    );
    expect(res.errors?.[0].message).toMatch(/^Query cost limit exceeded/);
  });

  it('lets every documented maximum page through, with everything a client shows', async () => {
    const lessons = await student.gql.request(LESSON_PAGE, { first: 100 });
    expect(lessons.errors).toBeUndefined();
    expect(lessons.data!.myLessons.edges).toHaveLength(3);
    expect(lessons.data!.myLessons.edges[0].node.history[0].action).toBe('REQUEST');

    const search = await student.gql.request(SEARCH_PAGE, { first: 100, reviews: 5 });
    expect(search.errors).toBeUndefined();
    expect(search.data!.searchTeachers.edges.length).toBeGreaterThan(0);

    const reviews = await t.gql.request(
      `query($id: ID!) { teacherReviews(teacherId: $id, first: 100) { edges { cursor node { id rating text createdAt hidden
         student { id displayName } reply { text at } } } pageInfo { hasNextPage endCursor } }
       teacher(id: $id) { id reviews(first: 100) { edges { node { id student { id } } } } } }`,
      { id: teacher.id },
    );
    expect(reviews.errors).toBeUndefined();

    const users = await admin.gql.request(
      '{ users(first: 100) { edges { cursor node { id email displayName roles status timeZone createdAt updatedAt } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(users.errors).toBeUndefined();
  });

  it('a page size over the documented maximum is BAD_USER_INPUT on first, not a cost refusal', async () => {
    const res = await t.gql.request('query($n: Int) { searchTeachers(first: $n) { edges { cursor } } }', { n: 5000 });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.fields.map((f: { field: string }) => f.field)).toEqual(['first']);
  });

  it('a variable of the wrong type is BAD_USER_INPUT and never lifts the limit', async () => {
    const res = await t.gql.request(NESTED, { n: 'lots' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('$n');
  });

  it('an alias refusal says which limit, without "Syntax Error"; the deepest real query is within the depth limit', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: serverTime`).join(' ');
    const res = await t.gql.request(`{ ${aliases} }`);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors![0].message).toBe('Aliases limit of 15 exceeded, found 16.');
    const deep = await student.gql.request(
      '{ myLessons(as: AS_STUDENT) { edges { node { teacherProfile { reviews { edges { node { student { id } } } } } } } } }',
    );
    expect(deep.errors).toBeUndefined();
  });
});

describe('query cost limit over WebSocket', () => {
  let t: TestApp;
  let student: TestAccount;
  let teacher: TestAccount;
  const SUBSCRIPTION = `subscription($n: Int) { lessonUpdated { id teacherProfile {
    reviews(first: $n) { edges { node { id student { id } } } } } } }`;

  beforeAll(async () => {
    t = await startTestApp({ config: { GRAPHQL_MAX_COST: '200', AUTH_RATE_LIMIT_PER_IP: '1000' } });
    [student, teacher] = await Promise.all([createAccount(t, 'STUDENT'), createTeacher(t)]);
  });
  afterAll(async () => t?.close());

  it('a subscription is costed with its variables before it starts', async () => {
    const costly = subscribeWith(SUBSCRIPTION, { n: 100 });
    const errors = await costly.outcome;
    expect(errors).toEqual([
      {
        message:
          'Query cost limit exceeded: this operation costs 304, the limit is 200. Ask for smaller pages (first) or fewer nested lists.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost: 304, maxCost: 200 },
      },
    ]);
    await costly.close();

    // Within the limit it runs: the next change of the student's lessons arrives.
    const small = subscribeWith(SUBSCRIPTION, { n: 10 });
    await small.acknowledged;
    await new Promise((r) => setTimeout(r, 150)); // the subscribe message follows the ack
    const { requestLesson } = await student.gql.ok(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: hoursFromNow(30).toISOString(), durationMinutes: 60, format: 'ONLINE' },
    });
    const event = (await small.outcome) as { lessonUpdated: { id: string } };
    expect(event.lessonUpdated.id).toBe(requestLesson.id);
    await small.close();
  });

  /** graphql-ws's client with variables; `outcome` is the first event or the errors (bounded wait). */
  function subscribeWith(query: string, variables: Record<string, unknown>) {
    const client = createClient({
      url: t.baseUrl.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${student.accessToken}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
    });
    const acknowledged = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    const outcome = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no event and no error within 10 s')), 10_000);
      const settle = (value: unknown) => (clearTimeout(timer), resolve(value));
      client.subscribe(
        { query, variables },
        {
          next: (v) => settle(v.errors ?? v.data),
          error: (err) => settle(Array.isArray(err) ? err : [{ message: String(err) }]),
          complete: () => undefined,
        },
      );
    });
    return { acknowledged, outcome, close: () => client.dispose() };
  }
});
