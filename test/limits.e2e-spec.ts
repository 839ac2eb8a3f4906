import { startTestApp, TestApp } from '@app/testing';
import { ProbeModule } from '@app/testing/probe.module';

/** Rejections must happen in validation, before execution: the probe resolvers would otherwise run. */
describe('query limits and request hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [ProbeModule],
      config: { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COST: '100', GRAPHQL_MAX_ALIASES: '3', HTTP_BODY_LIMIT: '2kb' },
    });
  });
  afterAll(async () => t?.close());

  const executed = async () => {
    const metric = await t.metrics.graphqlDuration.get();
    return metric.values
      .filter((v) => v.metricName?.endsWith('_count') && v.labels.outcome === 'success')
      .reduce((s, v) => s + v.value, 0);
  };

  it('accepts a query within every limit', async () => {
    const data = await t.gql.ok('{ probeTree { child { child { depth } } } }');
    expect(data).toEqual({ probeTree: { child: { child: { depth: 2 } } } });
  });

  it('rejects a query deeper than allowed', async () => {
    const res = await t.gql.request(
      '{ probeTree { child { child { child { child { child { child { depth } } } } } } } }',
    );
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toMatch(/depth/i);
  });

  it('rejects a query costlier than allowed', async () => {
    const tree = 'probeTree { children { children { children { children { depth } } } } }';
    const res = await t.gql.request(`{ a: ${tree} b: ${tree} c: ${tree} }`);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].message).toMatch(/cost/i);
  });

  it('rejects too many aliases', async () => {
    const res = await t.gql.request('{ a: serverTime b: serverTime c: serverTime d: serverTime e: serverTime }');
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].message).toMatch(/alias/i);
  });

  it('a rejected query never reaches execution', async () => {
    const before = await executed();
    await t.gql.request('{ probeSlow(ms: 1) a: serverTime b: serverTime c: serverTime d: serverTime }');
    expect(await executed()).toBe(before);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ serverTime } # ${'x'.repeat(4000)}` }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { extensions: unknown }[] };
    expect(body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'body', message: 'The request body is larger than the server accepts.' }],
    });
  });

  it('refuses a body that is not JSON with 400 naming the body', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: '{ "query": "{ serverTime }"',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: unknown }[] };
    expect(body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'body', message: 'The request body is not valid JSON.' }],
    });
  });

  it('blocks simple cross-site requests (CSRF prevention)', async () => {
    const res = await fetch(`${t.baseUrl}/graphql?query=${encodeURIComponent('{ serverTime }')}`, { method: 'GET' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });

  it('sends security headers', async () => {
    const res = await fetch(`${t.baseUrl}/health/live`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
