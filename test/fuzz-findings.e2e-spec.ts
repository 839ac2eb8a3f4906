import { createAccount, startTestApp, TestApp } from '@app/testing';

/** Defects test/fuzz.e2e-spec.ts found, each pinned by its own test. */
describe('defects found by the fuzz test', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000' } });
  });
  afterAll(async () => t?.close());

  it('a persisted-query hash that does not match the query is a 400 BAD_REQUEST, not an internal error', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ serverTime }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'deadbeef' } },
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: unknown };
    expect(body.errors).toEqual([
      { message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } },
    ]);
  });

  it('variables nested 45,000 deep are answered, not an internal error (declared or not)', async () => {
    const deep = '['.repeat(45_000) + ']'.repeat(45_000);
    const post = (body: string) =>
      fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const undeclared = await post(`{"query":"{ serverTime }","variables":{"x":${deep}}}`);
    expect(undeclared.status).toBe(200);
    expect(((await undeclared.json()) as { data: unknown }).data).toEqual({ serverTime: expect.any(String) });
    const declared = await post(
      `{"query":"query($n: Int) { searchTeachers(first: $n) { edges { cursor } } }","variables":{"n":${deep}}}`,
    );
    const body = (await declared.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(declared.status).toBe(400);
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('concurrent calendar feed rotations all answer, and only the last URL works', async () => {
    const user = await createAccount(t, 'STUDENT');
    const first = (await user.gql.ok('{ calendarFeed { url } }')).calendarFeed.url;
    const rotations = await Promise.all(
      Array.from({ length: 6 }, () => user.gql.request('mutation { rotateCalendarFeed { url } }')),
    );
    for (const r of rotations) {
      expect(r.errors?.map((e) => e.extensions?.code) ?? []).not.toContain('INTERNAL_SERVER_ERROR');
      expect(r.errors?.[0]?.extensions?.code ?? 'ok').toMatch(/^(ok|CONFLICT)$/);
    }
    const current = (await user.gql.ok('{ calendarFeed { url } }')).calendarFeed.url;
    const statusOf = async (url: string) => (await fetch(url.replace(/^https?:\/\/[^/]+/, t.baseUrl))).status;
    expect(await statusOf(current)).toBe(200);
    expect(await statusOf(first)).toBe(404);
    const urls = rotations.flatMap((r) => (r.data?.rotateCalendarFeed ? [r.data.rotateCalendarFeed.url] : []));
    expect(urls).toContain(current);
    for (const url of urls.filter((u) => u !== current)) expect(await statusOf(url)).toBe(404);
  });

  it('concurrent first reads of the calendar feed agree on one URL', async () => {
    const user = await createAccount(t, 'TEACHER');
    const reads = await Promise.all(Array.from({ length: 6 }, () => user.gql.request('{ calendarFeed { url } }')));
    expect(reads.map((r) => r.errors)).toEqual(reads.map(() => undefined));
    expect(new Set(reads.map((r) => r.data!.calendarFeed.url)).size).toBe(1);
  });
});
