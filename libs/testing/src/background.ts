import { OutboxRelay } from '../../../src/events/outbox-relay.service';
import { JobScheduler } from '../../../src/jobs/job-scheduler.service';
import type { TestApp } from './test-app';

/**
 * Waits until the work a server started off the request path has finished: outbox deliveries
 * kicked after a change, the jobs they kicked in turn (mail deliveries, payment syncs), and any
 * event a sweep still finds. Tests that count store calls settle first, so a sign-up's
 * verification mail is not counted against the request they measure; servers started with
 * JOBS_ENABLED=false are driven to the end the same way.
 */
export async function settle(t: TestApp): Promise<void> {
  const relay = t.app.get(OutboxRelay);
  const scheduler = t.app.get(JobScheduler);
  for (let round = 0; round < 10; round++) {
    await relay.idle();
    await scheduler.idle();
    if ((await relay.sweep()) === 0) return scheduler.idle();
  }
}
