import { startTestApp, TestApp } from '@app/testing';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('serves a query', async () => {
    const data = await t.gql.ok<{ serverTime: string }>('{ serverTime }');
    expect(Date.parse(data.serverTime)).toBeGreaterThan(0);
  });
});
