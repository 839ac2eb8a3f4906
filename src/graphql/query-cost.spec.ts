import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { costLimitError, operationCost } from './query-cost';

const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));
const cost = (query: string, variables?: Record<string, unknown>) => {
  const document = parse(query);
  return operationCost(schema, document, getOperationAST(document)!, variables);
};

/** The numbers the README quotes ("Query cost") come from here. */
describe('query cost', () => {
  const LESSON_NODE = `id status start end durationMinutes format note teacherLocalStart teacherTimeZone seriesId
    pendingExpiresAt createdAt updatedAt price { amountMinor currency } cancellation { by reason late feePercent }
    history { action at by from to reason previousStart } teacher { id displayName } student { id displayName }
    teacherProfile { id slug displayName headline timeZone formats languages genres ratingAverage ratingCount
      instruments { name levels } offerings { durationMinutes priceMinor currency }
      location { city country latitude longitude approximate } policies { minNoticeHours } socialLinks { network url }
      user { id displayName } }`;
  const TEACHER_NODE = `id slug displayName headline bio formats languages genres ratingAverage ratingCount distanceKm
    instruments { name levels } offerings { durationMinutes priceMinor currency } location { city country }
    policies { minNoticeHours } socialLinks { network url } user { id displayName }`;

  it('prices the documented maximum pages under the default limit of 5,000', () => {
    const lessons = cost(
      `query($n: Int) { myLessons(as: AS_STUDENT, first: $n) {
      edges { cursor node { ${LESSON_NODE} } } pageInfo { hasNextPage endCursor } } }`,
      { n: 100 },
    );
    const search = cost(`{ searchTeachers(first: 100) { edges { cursor node { ${TEACHER_NODE}
      reviews(first: 5) { edges { node { id text student { id displayName } reply { text } } } } } }
      pageInfo { endCursor } } }`);
    const reviews = cost(`{ teacherReviews(teacherId: "t", first: 100) { edges { cursor node { id rating text
      student { id displayName } reply { text at } } } pageInfo { hasNextPage endCursor } } }`);
    expect({ lessons, search, reviews }).toEqual({ lessons: 1502, search: 3102, reviews: 502 });
  });

  it('counts a variable, an operation default and the schema default like a literal', () => {
    const nested = (first: string) =>
      `{ searchTeachers(first: ${first}) { edges { node { id reviews(first: ${first}) { edges { node { student { id } } } } } } } }`;
    expect(cost(nested('100'))).toBe(30402);
    expect(cost(`query($n: Int) ${nested('$n')}`, { n: 100 })).toBe(30402);
    expect(cost(`query($n: Int = 100) ${nested('$n')}`)).toBe(30402);
    // Omitted: the schema's default page size (20).
    expect(cost(nested('20'))).toBe(
      cost('{ searchTeachers { edges { node { id reviews { edges { node { student { id } } } } } } } }'),
    );
  });

  it('counts a page size above the maximum as the maximum (validation refuses it by name)', () => {
    expect(cost('{ searchTeachers(first: 100000) { edges { node { user { id } } } } }')).toBe(
      cost('{ searchTeachers(first: 100) { edges { node { user { id } } } } }'),
    );
    expect(cost('{ searchTeachers(first: -3) { edges { node { id } } } }')).toBe(
      cost('{ searchTeachers(first: 1) { edges { node { id } } } }'),
    );
  });

  it('counts fragments, aliases and unpaged lists', () => {
    expect(cost('{ a: me { id } b: me { id } }')).toBe(2);
    expect(cost('{ me { ...F } } fragment F on User { id displayName }')).toBe(1);
    expect(cost('{ lesson(id: "x") { history { action } } }')).toBe(2);
    expect(cost('mutation { cancelLessonSeries(fromLessonId: "x") { teacher { id } } }')).toBe(11);
  });

  it('refuses over the limit with the cost and the limit; a badly typed variable is BAD_USER_INPUT', () => {
    const document = parse('query($n: Int) { searchTeachers(first: $n) { edges { node { id } } } }');
    const operation = getOperationAST(document)!;
    const over = costLimitError(schema, document, operation, { n: 100 }, 50);
    expect(over?.message).toBe(
      'Query cost limit exceeded: this operation costs 202, the limit is 50. Ask for smaller pages (first) or fewer nested lists.',
    );
    expect(over?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', cost: 202, maxCost: 50 });
    expect(costLimitError(schema, document, operation, { n: 10 }, 50)).toBeNull();
    expect(costLimitError(schema, document, operation, { n: 'many' }, 50)?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
