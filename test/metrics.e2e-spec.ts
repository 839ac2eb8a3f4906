import { startTestApp, TestApp } from '@app/testing';
import { ProbeModule } from '@app/testing/probe.module';

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule] });
  });
  afterAll(async () => t?.close());

  it('exposes process, HTTP, GraphQL, error, store-call and loader series after a GraphQL request', async () => {
    await t.gql.ok('query LoadSome { probeLoad(count: 120) probeMongo }');
    await t.gql.request('query Broken { probeFailure }');
    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/graphql",status_code="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /graphql_operation_duration_seconds_count\{operation_name="LoadSome",operation_type="query",outcome="success"\} 1/,
    );
    expect(text).toMatch(
      /graphql_operation_duration_seconds_count\{operation_name="Broken",operation_type="query",outcome="error"\} 1/,
    );
    expect(text).toMatch(/graphql_errors_total\{code="INTERNAL_SERVER_ERROR"\} 1/);
    // 120 loads of 150-key modulus = 120 distinct keys → 2 BatchGetItem calls of 100 and 20.
    expect(text).toMatch(/store_calls_total\{store="dynamodb",operation="BatchGetItem"\} 2/);
    expect(text).toMatch(/store_calls_total\{store="mongodb",operation="(count|aggregate)"\} 1/);
    expect(text).toMatch(/dataloader_batch_size_count\{loader="dynamoItems"\} 2/);
    expect(text).toMatch(/dataloader_batch_size_sum\{loader="dynamoItems"\} 120/);
  });
});
