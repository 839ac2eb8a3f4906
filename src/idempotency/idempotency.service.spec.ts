import { ConflictError } from '@app/common';
import { ensureTable, transactWrite } from '@app/dynamo';
import { dropTable, testClient, uniqueTableName } from '../../libs/dynamo/src/spec-support';
import { TestClock } from '../../libs/testing/src/test-clock';
import type { AppConfig } from '../config/app-config';
import type { DynamoStore } from '../stores/dynamo.store';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';

describe('IdempotencyService (against moto)', () => {
  const client = testClient();
  const table = uniqueTableName('idempotency');
  const clock = new TestClock();
  const service = new IdempotencyService(
    new IdempotencyRepository({ client, table } as DynamoStore),
    { IDEMPOTENCY_TTL_HOURS: 24 } as AppConfig,
    clock,
  );

  beforeAll(() => ensureTable(client, table));
  afterAll(async () => {
    await dropTable(client, table);
    client.destroy();
  });

  describe('standalone mode (work outside one DynamoDB transaction)', () => {
    const call = (key: string, input: unknown = { amount: 1 }) => ({
      caller: 'user-1',
      key,
      operation: 'upload',
      input,
    });

    it('does the work once for racing retries and answers each with the first result', async () => {
      let executions = 0;
      const steps = {
        execute: async () => {
          executions++;
          await new Promise((r) => setTimeout(r, 200));
          return { id: `media-${executions}` };
        },
        resultOf: (v: { id: string }) => v.id,
        replay: async (id: string) => ({ id }),
      };
      const results = await Promise.all(Array.from({ length: 5 }, () => service.runStandalone(call('k1'), steps)));
      expect(executions).toBe(1);
      expect(results).toEqual(Array.from({ length: 5 }, () => ({ id: 'media-1' })));
      expect(await service.runStandalone(call('k1'), steps)).toEqual({ id: 'media-1' });
    });

    it('releases the key when the work fails, so a retry runs again', async () => {
      let attempts = 0;
      const steps = {
        execute: async () => {
          if (++attempts === 1) throw new Error('provider down');
          return 'done';
        },
        resultOf: (v: string) => v,
        replay: async (v: string) => v,
      };
      await expect(service.runStandalone(call('k2'), steps)).rejects.toThrow('provider down');
      await expect(service.runStandalone(call('k2'), steps)).resolves.toBe('done');
      expect(attempts).toBe(2);
    });

    it('refuses the same key for a different request', async () => {
      const steps = { execute: async () => 'x', resultOf: (v: string) => v, replay: async (v: string) => v };
      await service.runStandalone(call('k3', { amount: 1 }), steps);
      await expect(service.runStandalone(call('k3', { amount: 2 }), steps)).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe('transactional mode', () => {
    it('writes the record with the work; a retry replays, and a lost race answers with the winner', async () => {
      let executions = 0;
      const call = { caller: 'user-2', key: 'k', operation: 'book', input: { slot: 1 } };
      const steps = {
        execute: async (remember?: (result: string) => Parameters<typeof transactWrite>[1][number]) => {
          executions++;
          const id = `lesson-${executions}`;
          await new Promise((r) => setTimeout(r, 50));
          await transactWrite(client, [remember!(id)]);
          return id;
        },
        replay: async (id: string) => id,
      };
      const racing = await Promise.all(Array.from({ length: 4 }, () => service.run(call, steps)));
      expect(new Set(racing).size).toBe(1);
      expect(await service.run(call, steps)).toBe(racing[0]);
    });

    it('forgets a record once it expires', async () => {
      const call = { caller: 'user-3', key: 'k', operation: 'book', input: {} };
      let n = 0;
      const steps = {
        execute: async (remember?: (r: number) => Parameters<typeof transactWrite>[1][number]) => {
          n++;
          await transactWrite(client, [remember!(n)]);
          return n;
        },
        replay: async (r: number) => r,
      };
      expect(await service.run(call, steps)).toBe(1);
      expect(await service.run(call, steps)).toBe(1);
      clock.advance(25 * 3_600_000);
      expect(await service.run(call, steps)).toBe(2);
    });
  });
});
