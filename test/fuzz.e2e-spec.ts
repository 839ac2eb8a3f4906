import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import * as jwt from 'jsonwebtoken';
import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';
import { forgedCursors, FuzzPools, FuzzRequest, generateRequest, LEAK, Rng, Who } from './fuzz-support';

/** FUZZ_SEED replays a run; FUZZ_REQUESTS changes its size; FUZZ_REPORT=<file> keeps every bad answer. */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2200);
const CONCURRENCY = 4;

interface Outcome {
  index: number;
  request: FuzzRequest;
  status: number;
  text: string;
}

/**
 * Thousands of hostile requests built from the real schema against one server: none may be answered
 * with a 5xx or INTERNAL_SERVER_ERROR, and no answer may show the server's insides.
 */
describe(`fuzz: hostile requests (seed ${SEED})`, () => {
  let t: TestApp;
  let tokens: Record<Who, string | undefined>;
  let pools: FuzzPools;

  beforeAll(async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${REQUESTS} requests`);
    t = await startTestApp({
      config: { AUTH_RATE_LIMIT_PER_IP: '100000', AUTH_RATE_LIMIT_PER_ACCOUNT: '100000', LOG_LEVEL: 'fatal' },
    });
    const [teacher, student, admin, victims] = await Promise.all([
      createTeacher(t, { policies: { minNoticeHours: 0 } }),
      createAccount(t, 'STUDENT'),
      createAccount(t, 'ADMIN'),
      Promise.all([createAccount(t, 'STUDENT'), createAccount(t, 'TEACHER'), createAccount(t, 'STUDENT')]),
    ]);
    const lessons: string[] = [];
    for (const hours of [30, 52, 75]) {
      const { requestLesson } = await student.gql.ok(REQUEST_LESSON, {
        input: {
          teacherId: teacher.id,
          start: hoursFromNow(hours).toISOString(),
          durationMinutes: 60,
          format: 'ONLINE',
        },
      });
      lessons.push(requestLesson.id);
    }
    await teacher.gql.ok('mutation($id: ID!) { confirmLesson(id: $id) { id } }', { id: lessons[0] });
    pools = {
      ids: [teacher.id, student.id, admin.id, ...lessons],
      victimIds: victims.map((v) => v.id),
      cursors: [...forgedCursors(), ...(await realCursors(student, admin))],
      slugs: [(await t.gql.ok('query($id: ID!) { teacher(id: $id) { slug } }', { id: teacher.id })).teacher.slug],
    };
    const forged = jwt.sign({ sub: student.id, roles: ['ADMIN'] }, 'not the server secret at all, 32+ chars', {
      expiresIn: '5m',
    });
    tokens = {
      anonymous: undefined,
      student: student.accessToken,
      teacher: teacher.accessToken,
      admin: admin.accessToken,
      victim: victims[0].accessToken,
      forged,
    };
  });
  afterAll(async () => t?.close());

  it(`answers ${REQUESTS} generated hostile requests without a 5xx, an internal error or a leak`, async () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8'));
    const rng = new Rng(SEED);

    // Each request is generated when a worker takes its index (synchronously, so in index order: the
    // seed alone decides them); generating all first would block the event loop for seconds.
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const index = next++;
        const request = generateRequest(rng, schema, pools);
        outcomes.push({ index, request, ...(await send(request)) });
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;

    const problems = outcomes.flatMap((o) => problemsOf(o).map((problem) => ({ problem, ...summary(o) })));
    const byCode = new Map<string, number>();
    for (const o of outcomes) {
      const key = `${o.status} ${codesOf(o.text).join(',') || 'ok'}`;
      byCode.set(key, (byCode.get(key) ?? 0) + 1);
    }
    console.log(
      `fuzz seed ${SEED}: ${outcomes.length} requests in ${seconds.toFixed(1)} s\n` +
        [...byCode]
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `  ${n}\t${k}`)
          .join('\n'),
    );
    if (problems.length && process.env.FUZZ_REPORT)
      writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(problems, null, 2));
    if (problems.length)
      throw new Error(
        `fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED}): ${problems.length} bad answers, first ones:\n` +
          JSON.stringify(problems.slice(0, 5), null, 2),
      );
    expect(outcomes).toHaveLength(REQUESTS);
  }, 240_000);

  async function send(request: FuzzRequest): Promise<{ status: number; text: string }> {
    const token = tokens[request.who];
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...request.headers,
    };
    const url = new URL(`${t.baseUrl}/graphql`);
    if (request.method === 'GET' && request.query) url.searchParams.set('query', request.query);
    const body = request.method === 'GET' ? undefined : (request.rawBody ?? JSON.stringify(request.body));
    try {
      const res = await fetch(url, { method: request.method, headers, body });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      // No answer at all (a reset connection) is a failure too; status 0 marks it.
      return { status: 0, text: `no answer: ${String((err as Error).cause ?? err)}` };
    }
  }
});

/** What is wrong with one answer (nothing, mostly). */
function problemsOf({ status, text }: Outcome): string[] {
  const problems: string[] = [];
  if (status >= 500 || status === 0) problems.push(status ? `HTTP ${status}` : text);
  let body: { errors?: Array<{ message?: string; extensions?: Record<string, unknown> }> } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    if (LEAK.test(text)) problems.push('leak in a non-JSON answer');
    return problems;
  }
  for (const error of body?.errors ?? []) {
    if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
    const shown = `${error.message ?? ''} ${JSON.stringify(error.extensions ?? {})}`;
    if (LEAK.test(shown)) problems.push(`leak: ${shown.slice(0, 300)}`);
  }
  if (!body?.errors && typeof body === 'object' && body && 'message' in body && LEAK.test(String(body.message)))
    problems.push(`leak: ${String(body.message).slice(0, 300)}`);
  return problems;
}

function codesOf(text: string): string[] {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
    return [...new Set((body.errors ?? []).map((e) => String(e.extensions?.code)))];
  } catch {
    return ['non-JSON'];
  }
}

function summary(o: Outcome) {
  const request = JSON.stringify({ ...o.request, rawBody: o.request.rawBody?.slice(0, 300) });
  return { index: o.index, status: o.status, request: request.slice(0, 1500), answer: o.text.slice(0, 600) };
}

async function realCursors(student: TestAccount, admin: TestAccount): Promise<string[]> {
  const lessons = await student.gql.ok('{ myLessons(as: AS_STUDENT, first: 1) { pageInfo { endCursor } } }');
  const users = await admin.gql.ok('{ users(first: 1) { pageInfo { endCursor } } }');
  const search = await student.gql.ok('{ searchTeachers(first: 1) { pageInfo { endCursor } } }');
  return [
    lessons.myLessons.pageInfo.endCursor,
    users.users.pageInfo.endCursor,
    search.searchTeachers.pageInfo.endCursor,
  ];
}
