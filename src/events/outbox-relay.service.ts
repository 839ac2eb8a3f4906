import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Clock } from '@app/common';
import { AppConfig } from '../config/app-config';
import { backoffMs, JobScheduler } from '../jobs/job-scheduler.service';
import { MetricsService } from '../observability/metrics.service';
import { OutboxConsumers } from './outbox-consumers';
import { OUTBOX_SHARDS, OutboxRepository } from './outbox.repository';

/** A delivery may take this long before another instance may assume its relay died. */
const LEASE_MS = 60_000;
const SWEEP_BATCH = 25;

/**
 * Delivers outbox entries to their durable consumers, at least once: right after the change that
 * raised them (a kick from DomainEvents.published) and, for whatever that missed (a crash, a
 * consumer failing, a server stopped in between), by the `outbox.relay` periodic job. A consumer
 * that fails is retried with backoff; after OUTBOX_MAX_ATTEMPTS the entry is kept as FAILED.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly deliveries: Counter<'event' | 'consumer' | 'outcome'>;

  constructor(
    private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly consumers: OutboxConsumers,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.deliveries = new Counter({
      name: 'outbox_deliveries_total',
      help: 'Deliveries of outbox events to durable consumers, by event, consumer and outcome',
      labelNames: ['event', 'consumer', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    this.scheduler.registerPeriodic({
      name: 'outbox.relay',
      everySeconds: this.config.OUTBOX_SWEEP_SECONDS,
      leaseSeconds: 120,
      run: () => this.sweep(),
    });
  }

  /** First attempt for freshly committed events, off the request's path. */
  kick(eventIds: string[]): void {
    for (const id of eventIds) {
      const delivery = this.deliver(id, true)
        .catch((err: Error) => this.logger.warn(`outbox delivery of ${id} failed: ${err.message}`))
        .finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  /** Settles when every kicked delivery has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Delivers every due entry of every shard; returns how many were attempted. */
  async sweep(): Promise<number> {
    let attempted = 0;
    for (let shard = 0; shard < OUTBOX_SHARDS; shard++) {
      const ids = await this.outbox.due(shard, this.clock.now().toISOString(), SWEEP_BATCH);
      for (const id of ids) if (await this.deliver(id, false)) attempted++;
    }
    return attempted;
  }

  /** One attempt at one entry; false when there was nothing for this instance to do. */
  private async deliver(eventId: string, ignoreSchedule: boolean): Promise<boolean> {
    const now = this.clock.now();
    const owner = this.scheduler.owner;
    const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
    const entry = await this.outbox.claim(eventId, owner, now.toISOString(), leaseUntil, ignoreSchedule);
    if (!entry) return false;
    const remaining: string[] = [];
    const errors: string[] = [];
    for (const consumer of entry.pending) {
      const handle = this.consumers.handler(consumer);
      if (!handle) {
        remaining.push(consumer); // another version of the server knows it
        continue;
      }
      try {
        await handle(entry.event);
        this.deliveries.inc({ event: entry.event.name, consumer, outcome: 'success' });
      } catch (err) {
        remaining.push(consumer);
        errors.push(`${consumer}: ${(err as Error).message}`);
        this.deliveries.inc({ event: entry.event.name, consumer, outcome: 'failure' });
      }
    }
    if (remaining.length === 0) {
      await this.outbox.complete(eventId, owner);
      return true;
    }
    const attempts = entry.attempts + (errors.length > 0 ? 1 : 0);
    const failed = errors.length > 0 && attempts >= this.config.OUTBOX_MAX_ATTEMPTS;
    const retryIn = errors.length > 0 ? backoffMs(attempts) : this.config.OUTBOX_SWEEP_SECONDS * 1000;
    if (failed) this.logger.error(`outbox event ${eventId} (${entry.event.name}) gave up: ${errors.join('; ')}`);
    await this.outbox.release(eventId, owner, {
      pending: remaining,
      attempts,
      nextAttemptAt: new Date(this.clock.now().getTime() + retryIn).toISOString(),
      lastError: errors.join('; ') || undefined,
      failed,
    });
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }
}
