import { startTestApp, TestApp } from '@app/testing';
import { ProbeModule } from '@app/testing/probe.module';

describe('graceful shutdown', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [ProbeModule] });
  });

  it('finishes in-flight requests, then refuses new connections', async () => {
    const inFlight = t.gql.request<{ probeSlow: number }>('{ probeSlow(ms: 1500) }');
    await new Promise((r) => setTimeout(r, 300));
    const closing = t.close(); // what SIGTERM triggers through enableShutdownHooks
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${t.baseUrl}/health/live`)).rejects.toThrow();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ probeSlow: 1500 });
    await closing;
  });
});
