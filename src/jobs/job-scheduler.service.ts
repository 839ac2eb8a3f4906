import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Counter, Histogram } from 'prom-client';
import { ulid } from 'ulid';
import { Clock } from '@app/common';
import type { TransactPart } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import { JOB_SHARDS } from './jobs.keys';
import { DelayedJobRecord, JobsRepository } from './jobs.repository';

/** Work that runs once per period on one instance of the cluster (sweeps, repairs). */
export interface PeriodicJob {
  name: string;
  everySeconds: number;
  /** How long a run may take before another instance may assume this one died (default 5 minutes). */
  leaseSeconds?: number;
  run(now: Date): Promise<unknown>;
}

/**
 * Work every instance does for itself on a short period (renewing the presence leases of its own
 * sockets, looking for presence changes that fell due): no lease, no store of its own, never
 * stored. Runs whether or not JOBS_ENABLED polls for stored jobs, because it keeps this
 * instance's live state true rather than doing the cluster's work.
 */
export interface LocalJob {
  name: string;
  everyMs: number;
  run(now: Date): Promise<unknown>;
}

/** Work scheduled for a moment (a reminder, a retry): stored, so restarts lose none; runs once. */
export interface DelayedJobHandler<P = unknown> {
  name: string;
  leaseSeconds?: number;
  /** Attempts before the job is kept as FAILED (default JOBS_MAX_ATTEMPTS). */
  maxAttempts?: number;
  run(payload: P, job: { id: string; attempts: number; runAt: Date }): Promise<unknown>;
}

const DEFAULT_LEASE_SECONDS = 300;
const DUE_BATCH = 25;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 3_600_000;
/** Delayed jobs are kept this long after their run time (FAILED ones for inspection), then TTL removes them. */
const KEEP_SECONDS = 30 * 86_400;

/**
 * The cluster-safe scheduler of periodic and delayed jobs, on DynamoDB leases (see
 * docs/decisions/0005-domain-events-outbox-and-jobs.md). Every instance polls; conditional writes make a
 * periodic job run on one instance per period and a delayed job run once; a run that fails is
 * retried with exponential backoff. Runs, failures, lag and durations are in /metrics.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(JobScheduler.name);
  /** Identifies this instance's leases. */
  readonly owner = ulid();
  private readonly periodic = new Map<string, { job: PeriodicJob; knownNextRun: number }>();
  private readonly handlers = new Map<string, DelayedJobHandler>();
  private readonly local = new Map<string, { job: LocalJob; timer?: NodeJS.Timeout; running?: Promise<void> }>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private readonly kicked = new Set<Promise<unknown>>();
  private readonly runs: Counter<'job' | 'kind' | 'outcome'>;
  private readonly lag: Histogram<'job'>;
  private readonly duration: Histogram<'job'>;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.runs = new Counter({
      name: 'jobs_runs_total',
      help: 'Job runs by job, kind (periodic, delayed, local) and outcome (success, failure, gave_up)',
      labelNames: ['job', 'kind', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.lag = new Histogram({
      name: 'jobs_lag_seconds',
      help: 'How late a job started after it was due',
      labelNames: ['job'] as const,
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'jobs_duration_seconds',
      help: 'Job run duration',
      labelNames: ['job'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [metrics.registry],
    });
  }

  registerPeriodic(job: PeriodicJob): void {
    if (this.periodic.has(job.name)) throw new Error(`periodic job ${job.name} is registered twice`);
    this.periodic.set(job.name, { job, knownNextRun: 0 });
  }

  registerLocal(job: LocalJob): void {
    if (this.local.has(job.name)) throw new Error(`local job ${job.name} is registered twice`);
    if (!(job.everyMs >= 100)) throw new Error(`local job ${job.name} must run at most every 100 ms`);
    this.local.set(job.name, { job });
  }

  /** Runs a local job now (tests, shutdown); a run already in progress is awaited instead of overlapped. */
  runLocal(name: string): Promise<void> {
    const entry = this.local.get(name);
    if (!entry) throw new Error(`no local job named ${name}`);
    entry.running ??= this.timed(name, () => entry.job.run(this.clock.now()))
      .then(({ ok }) => this.runs.inc({ job: name, kind: 'local', outcome: ok ? 'success' : 'failure' }))
      .finally(() => (entry.running = undefined));
    return entry.running;
  }

  registerHandler<P>(handler: DelayedJobHandler<P>): void {
    if (this.handlers.has(handler.name)) throw new Error(`job handler ${handler.name} is registered twice`);
    this.handlers.set(handler.name, handler);
  }

  /**
   * Stores a job to run at `runAt` and returns its id. With a `key`, the job is unique per
   * (name, key): scheduling again moves it (e.g. a reminder of a rescheduled lesson). With a
   * `version` as well, it moves only a job scheduled with an older version, so deliveries of
   * changes that arrive out of order cannot put back a stale schedule.
   */
  async schedule<P>(
    name: string,
    payload: P,
    runAt: Date,
    opts: { key?: string; version?: number } = {},
  ): Promise<string> {
    if (!this.handlers.has(name)) throw new Error(`no job handler named ${name}`);
    if (opts.version !== undefined && opts.key === undefined) throw new Error('a versioned job needs a key');
    const id = opts.key === undefined ? ulid() : stableId(name, opts.key);
    await this.jobs.putDelayed(
      {
        id,
        name,
        payload,
        runAt: runAt.toISOString(),
        attempts: 0,
        status: 'PENDING',
        ...(opts.version === undefined ? {} : { version: opts.version }),
      },
      shardOf(id),
      Math.floor(runAt.getTime() / 1000) + KEEP_SECONDS,
    );
    return id;
  }

  /**
   * Polls soon, off the caller's path: for a job just scheduled to run now (image derivatives), so
   * it starts at once instead of at the next poll. Nothing when this instance runs no jobs.
   */
  poke(): void {
    if (!this.config.JOBS_ENABLED) return;
    setImmediate(() => void this.tick());
  }

  /**
   * A new keyed job as a part of the caller's DynamoDB transaction (e.g. with the record of the
   * work it will do): stored if and only if the rest is, and the transaction fails when a job with
   * that key already exists. Run it at once with `kick(id)` after the commit.
   */
  schedulePart<P>(name: string, payload: P, runAt: Date, key: string): { id: string; part: TransactPart } {
    if (!this.handlers.has(name)) throw new Error(`no job handler named ${name}`);
    const id = stableId(name, key);
    const part = this.jobs.delayedPart(
      { id, name, payload, runAt: runAt.toISOString(), attempts: 0, status: 'PENDING' },
      shardOf(id),
      Math.floor(runAt.getTime() / 1000) + KEEP_SECONDS,
    );
    return { id, part };
  }

  /**
   * First attempt at a job that is due now, off the caller's path (as the outbox relay delivers
   * right after a change): the same claim as a poll, so it still runs once however many instances
   * try. Works with JOBS_ENABLED=false too; what fails here is retried by the polls.
   */
  kick(id: string): void {
    const attempt = this.jobs
      .getDelayed(id)
      .then((job) => (job ? this.runDelayed(id, job.runAt, job) : false))
      .catch((err: Error) => this.logger.warn(`job ${id} could not start: ${err.message}`))
      .finally(() => this.kicked.delete(attempt));
    this.kicked.add(attempt);
  }

  /** Settles when every kicked job has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.kicked.size > 0) await Promise.allSettled([...this.kicked]);
  }

  /**
   * Removes a keyed job that has not run (e.g. the reminder of a cancelled lesson); with
   * `olderThan`, only a job scheduled with an older version (a late, stale cancellation leaves a
   * newer schedule alone).
   */
  async cancel(name: string, key: string, opts: { olderThan?: number } = {}): Promise<void> {
    await this.jobs.deleteDelayed(stableId(name, key), opts.olderThan);
  }

  /** The stored state of a keyed job (tests and diagnostics). */
  async find(name: string, key: string) {
    return this.jobs.getDelayed(stableId(name, key));
  }

  onApplicationBootstrap(): void {
    // The scheduler's timers are the application's only ones: everything periodic is a job on them.
    for (const [name, entry] of this.local) {
      entry.timer = setInterval(() => void this.runLocal(name), entry.job.everyMs);
      entry.timer.unref();
    }
    if (!this.config.JOBS_ENABLED) return;
    this.timer = setInterval(() => void this.tick(), this.config.JOBS_POLL_SECONDS * 1000);
    this.timer.unref();
  }

  /** Local jobs stop before the shutdown hooks of features run (their last run is awaited). */
  async beforeApplicationShutdown(): Promise<void> {
    for (const entry of this.local.values()) clearInterval(entry.timer);
    await Promise.all([...this.local.values()].map((e) => e.running ?? Promise.resolve()));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.idle();
  }

  /** One poll: due periodic jobs, then due delayed jobs. Ticks never overlap on an instance. */
  tick(): Promise<void> {
    this.ticking ??= this.pollOnce().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async pollOnce(): Promise<void> {
    try {
      await this.runDuePeriodic();
      await this.runDueDelayed();
    } catch (err) {
      // A store outage: the next tick tries again; nothing was claimed without being released by its lease.
      this.logger.warn(`job poll failed: ${(err as Error).message}`);
    }
  }

  /** Runs the periodic jobs that are due and that this instance wins; returns their names. */
  async runDuePeriodic(): Promise<string[]> {
    const ran: string[] = [];
    for (const entry of this.periodic.values()) {
      const now = this.clock.now();
      if (entry.knownNextRun > now.getTime()) continue;
      const { job } = entry;
      const lease = new Date(now.getTime() + (job.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000);
      const slot = await this.jobs.claimPeriodic(job.name, this.owner, now.toISOString(), lease.toISOString());
      if (!slot) {
        const next = await this.jobs.periodicNextRun(job.name);
        // Held by another instance (or not due): look again after its slot, or at the next poll.
        entry.knownNextRun = Math.max(next ? Date.parse(next) : 0, now.getTime() + 1);
        continue;
      }
      const next = nextSlot(Date.parse(slot), job.everySeconds * 1000, now.getTime());
      entry.knownNextRun = next;
      this.lag.observe({ job: job.name }, Math.max(0, now.getTime() - Date.parse(slot)) / 1000);
      const outcome = await this.timed(job.name, () => job.run(now));
      this.runs.inc({ job: job.name, kind: 'periodic', outcome: outcome.ok ? 'success' : 'failure' });
      await this.jobs.finishPeriodic(job.name, this.owner, {
        nextRunAt: new Date(next).toISOString(),
        lastRunAt: now.toISOString(),
        outcome: outcome.ok ? 'success' : 'failure',
        error: outcome.error,
      });
      ran.push(job.name);
    }
    return ran;
  }

  /** Runs the delayed jobs that are due (for handlers this instance has); returns how many ran. */
  async runDueDelayed(): Promise<number> {
    let ran = 0;
    for (let shard = 0; shard < JOB_SHARDS; shard++) {
      const now = this.clock.now();
      for (const due of await this.jobs.dueDelayed(shard, now.toISOString(), DUE_BATCH)) {
        if (await this.runDelayed(due.id, due.runAt)) ran++;
      }
    }
    return ran;
  }

  private async runDelayed(id: string, runAt: string, peeked?: DelayedJobRecord): Promise<boolean> {
    const now = this.clock.now();
    const peek = peeked ?? (await this.jobs.getDelayed(id));
    const handler = peek && this.handlers.get(peek.name);
    // Another instance (a newer version) may know a handler this one lacks: leave the job to it.
    if (!peek || !handler) return false;
    const lease = new Date(now.getTime() + (handler.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000);
    const job = await this.jobs.claimDelayed(id, runAt, this.owner, now.toISOString(), lease.toISOString());
    if (!job) return false;
    this.lag.observe({ job: job.name }, Math.max(0, now.getTime() - Date.parse(job.runAt)) / 1000);
    const outcome = await this.timed(job.name, () =>
      handler.run(job.payload, { id: job.id, attempts: job.attempts, runAt: new Date(job.runAt) }),
    );
    if (outcome.ok) {
      this.runs.inc({ job: job.name, kind: 'delayed', outcome: 'success' });
      await this.jobs.completeDelayed(job.id, this.owner, job.runAt);
      return true;
    }
    const attempts = job.attempts + 1;
    const giveUp = attempts >= (handler.maxAttempts ?? this.config.JOBS_MAX_ATTEMPTS);
    this.runs.inc({ job: job.name, kind: 'delayed', outcome: giveUp ? 'gave_up' : 'failure' });
    const retryAt = giveUp ? null : new Date(this.clock.now().getTime() + backoffMs(attempts)).toISOString();
    if (giveUp)
      this.logger.error(`job ${job.name} ${job.id} failed ${attempts} times; kept as FAILED: ${outcome.error}`);
    await this.jobs.failDelayed(job.id, this.owner, job.runAt, attempts, outcome.error ?? 'failed', retryAt);
    return true;
  }

  private async timed(name: string, run: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
    const stop = this.duration.startTimer({ job: name });
    try {
      await run();
      return { ok: true };
    } catch (err) {
      this.logger.warn(`job ${name} failed: ${(err as Error).message}`);
      return { ok: false, error: (err as Error).message };
    } finally {
      stop();
    }
  }
}

/** The first slot after `now` on the grid `slot + k × period` (missed periods are skipped, not replayed). */
export function nextSlot(slot: number, periodMs: number, now: number): number {
  if (slot + periodMs > now) return slot + periodMs;
  return slot + (Math.floor((now - slot) / periodMs) + 1) * periodMs;
}

/** 5 s, 10 s, 20 s ... up to an hour, with ±20 % jitter so retries of many jobs spread out. */
export function backoffMs(attempts: number): number {
  const base = Math.min(RETRY_BASE_MS * 2 ** (attempts - 1), RETRY_MAX_MS);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function stableId(name: string, key: string): string {
  const raw = `${name}:${key}`;
  return raw.length <= 200 ? raw : `${name}:${createHash('sha256').update(key).digest('base64url')}`;
}

function shardOf(id: string): number {
  return createHash('sha256').update(id).digest()[0] % JOB_SHARDS;
}
