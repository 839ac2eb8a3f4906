import { startTestApp, TestApp } from '@app/testing';
import { ProbeModule } from '@app/testing/probe.module';

describe('error mapping (HTTP, real stores)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule] });
  });
  afterAll(async () => t?.close());

  it('invalid input gives BAD_USER_INPUT naming each offending field', async () => {
    const res = await t.gql.request('mutation { probeValidate(input: { email: "not-an-email", count: 42 }) }');
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors!;
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (error.extensions?.fields as Array<{ field: string }>).map((f) => f.field).sort();
    expect(fields).toEqual(['input.count', 'input.email']);
    expect(error.message).toContain('input.email: email must be a valid e-mail address');
  });

  it('a wrongly typed variable is BAD_USER_INPUT before any resolver runs', async () => {
    const res = await t.gql.request('mutation($n: Int!) { probeValidate(input: { email: "a@b.co", count: $n }) }', {
      n: 'three',
    });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('$n');
  });

  it('an unexpected failure is masked: INTERNAL_SERVER_ERROR, the request id, no stack or detail', async () => {
    const res = await t.gql.request('{ probeFailure }', undefined, { 'x-request-id': 'req-test-123' });
    expect(res.headers.get('x-request-id')).toBe('req-test-123');
    const [error] = res.errors!;
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-test-123', retryable: false });
    expect(error.message).toBe('Internal server error (request id req-test-123)');
    const raw = JSON.stringify(res);
    expect(raw).not.toMatch(/hunter2|db-internal|stacktrace|at .*\.ts/);
  });

  it('a request without an id gets a generated one, echoed in the header and the error', async () => {
    const res = await t.gql.request('{ probeFailure }');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    expect(res.errors?.[0].extensions?.requestId).toBe(id);
  });

  it('a malformed query is GRAPHQL_PARSE_FAILED, an unknown field GRAPHQL_VALIDATION_FAILED', async () => {
    expect((await t.gql.request('{ serverTime ')).errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await t.gql.request('{ nope }')).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
