import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { startAnotherInstance, startTestApp, TestApp } from '@app/testing';
import { JobScheduler } from '../src/jobs/job-scheduler.service';

/** Runs seen by the probe jobs of every server instance of this file (they share this process). */
const runs = { periodic: [] as Array<{ instance: string; at: number }>, delayed: [] as unknown[], failuresToGo: 0 };

@Injectable()
class ProbeJobs implements OnModuleInit {
  constructor(private readonly scheduler: JobScheduler) {}

  onModuleInit(): void {
    this.scheduler.registerPeriodic({
      name: 'test.every-minute',
      everySeconds: 60,
      run: async (now) => {
        runs.periodic.push({ instance: this.scheduler.owner, at: now.getTime() });
        // A run that takes a while, so racing instances overlap with it.
        await new Promise((r) => setTimeout(r, 50));
      },
    });
    this.scheduler.registerHandler<{ note: string }>({
      name: 'test.remind',
      maxAttempts: 3,
      run: async (payload) => {
        if (runs.failuresToGo > 0) {
          runs.failuresToGo--;
          throw new Error('the probe job fails on purpose');
        }
        runs.delayed.push(payload);
      },
    });
  }
}

@Module({ providers: [ProbeJobs] })
class ProbeJobsModule {}

const config = { JOBS_ENABLED: 'false' };

describe('the job scheduler', () => {
  let a: TestApp;
  let b: TestApp;
  const scheduler = (t: TestApp) => t.app.get(JobScheduler);
  /** Both instances' clocks move together, as real clocks would. */
  const advance = (ms: number) => {
    a.clock.advance(ms);
    b.clock.advance(ms);
  };

  beforeAll(async () => {
    a = await startTestApp({ imports: [ProbeJobsModule], config });
    b = await startAnotherInstance(a, { imports: [ProbeJobsModule], config });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('runs a periodic job once per period with two instances polling at once', async () => {
    runs.periodic = [];
    for (let period = 0; period < 5; period++) {
      // Each instance polls several times within the period, concurrently.
      await Promise.all([
        scheduler(a).runDuePeriodic(),
        scheduler(b).runDuePeriodic(),
        scheduler(a).runDuePeriodic(),
        scheduler(b).runDuePeriodic(),
      ]);
      advance(61_000);
    }
    expect(runs.periodic).toHaveLength(5);
    const gaps = runs.periodic.slice(1).map((r, i) => r.at - runs.periodic[i].at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(60_000);
  });

  it('runs a delayed job scheduled before a restart after it, once', async () => {
    runs.delayed = [];
    const first = await startAnotherInstance(a, { imports: [ProbeJobsModule], config });
    await scheduler(first).schedule(
      'test.remind',
      { note: 'lesson tomorrow' },
      new Date(first.clock.now().getTime() + 3_600_000),
      {
        key: 'lesson-1:24h',
      },
    );
    await first.close(); // the instance that scheduled it is gone

    expect(await scheduler(a).runDueDelayed()).toBe(0); // not due yet
    advance(3_600_000);
    const ran = await Promise.all([scheduler(a).runDueDelayed(), scheduler(b).runDueDelayed()]);
    expect(ran[0] + ran[1]).toBe(1);
    expect(runs.delayed).toEqual([{ note: 'lesson tomorrow' }]);
    expect(await scheduler(a).find('test.remind', 'lesson-1:24h')).toBeNull();
  });

  it('moves a keyed job when it is scheduled again, and forgets it when cancelled', async () => {
    runs.delayed = [];
    const now = a.clock.now().getTime();
    await scheduler(a).schedule('test.remind', { note: 'first time' }, new Date(now + 60_000), { key: 'moved' });
    await scheduler(a).schedule('test.remind', { note: 'moved' }, new Date(now + 7_200_000), { key: 'moved' });
    await scheduler(a).schedule('test.remind', { note: 'cancelled' }, new Date(now + 60_000), { key: 'cancelled' });
    await scheduler(a).cancel('test.remind', 'cancelled');
    advance(120_000);
    expect(await scheduler(a).runDueDelayed()).toBe(0);
    advance(7_200_000);
    expect(await scheduler(a).runDueDelayed()).toBe(1);
    expect(runs.delayed).toEqual([{ note: 'moved' }]);
  });

  it('retries a failing delayed job with backoff, then keeps it as FAILED', async () => {
    runs.delayed = [];
    runs.failuresToGo = 1;
    const now = a.clock.now().getTime();
    await scheduler(a).schedule('test.remind', { note: 'retried' }, new Date(now), { key: 'retried' });
    expect(await scheduler(a).runDueDelayed()).toBe(1); // fails
    expect(runs.delayed).toEqual([]);
    const waiting = await scheduler(a).find('test.remind', 'retried');
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'the probe job fails on purpose' });
    expect(Date.parse(waiting!.runAt)).toBeGreaterThan(now);
    expect(await scheduler(a).runDueDelayed()).toBe(0); // backing off
    advance(60_000);
    expect(await scheduler(a).runDueDelayed()).toBe(1);
    expect(runs.delayed).toEqual([{ note: 'retried' }]);

    runs.failuresToGo = 10;
    await scheduler(a).schedule('test.remind', { note: 'hopeless' }, new Date(a.clock.now().getTime()), {
      key: 'hopeless',
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      await scheduler(a).runDueDelayed();
      advance(3_600_000);
    }
    expect(await scheduler(a).find('test.remind', 'hopeless')).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(await scheduler(a).runDueDelayed()).toBe(0);
    runs.failuresToGo = 0;
  });
});
