import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ulid } from 'ulid';
import { Clock } from '@app/common';
import type { TransactPart } from '@app/dynamo';
import type { DomainEvent, DomainEventMap, DomainEventName } from './domain-events';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';

/**
 * How long the relay's sweep leaves an event recorded ahead of a change in another store
 * (MongoDB) before it delivers it anyway: the change normally commits, and publishes, long before.
 */
const AHEAD_GRACE_MS = 60_000;

export interface RecordedEvent<N extends DomainEventName = DomainEventName> {
  event: DomainEvent<N>;
  /** Outbox items to write in the caller's transaction; empty when no durable consumer wants the event. */
  parts: TransactPart[];
}

/**
 * Domain events, in two steps around the change that raises them:
 *   1. `record` before the write: its `parts` go into the change's DynamoDB transaction, so the
 *      event is stored if and only if the change is (for a change in MongoDB, `recordAhead`
 *      stores it first; consumers then check the source of truth and the sweep repairs a crash).
 *   2. `publish` after the write: in-process listeners (`@OnEvent`, via @nestjs/event-emitter)
 *      hear it at once; durable consumers (OutboxConsumers) get it through the outbox relay,
 *      at least once, retried until they succeed.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly consumers: OutboxConsumers,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {}

  /**
   * `holdMs` keeps the sweep from delivering the event that long (for a change written in several
   * transactions that may still be undone); `publish` delivers it at once regardless.
   */
  record<N extends DomainEventName>(
    name: N,
    payload: DomainEventMap[N],
    opts: { holdMs?: number } = {},
  ): RecordedEvent<N> {
    const now = this.clock.now();
    const event: DomainEvent<N> = { id: ulid(), name, payload, occurredAt: now.toISOString() };
    const consumers = this.consumers.for(name);
    const due = new Date(now.getTime() + (opts.holdMs ?? 0)).toISOString();
    return { event, parts: consumers.length ? [this.outbox.part(event, consumers, due)] : [] };
  }

  /** For a change outside DynamoDB: the event is stored now, before the change is made. */
  async recordAhead<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<RecordedEvent<N>> {
    const recorded = this.record(name, payload);
    const consumers = this.consumers.for(name);
    if (consumers.length) {
      const due = new Date(this.clock.now().getTime() + AHEAD_GRACE_MS).toISOString();
      await this.outbox.put(recorded.event, consumers, due);
    }
    return { event: recorded.event, parts: [] };
  }

  /** The change recorded ahead did not happen: forget the event (a crash instead leaves it to consumers' checks). */
  async discard(recorded: RecordedEvent): Promise<void> {
    if (this.consumers.for(recorded.event.name).length === 0) return;
    await this.outbox.delete(recorded.event.id).catch((err: Error) => {
      this.logger.warn(`could not discard event ${recorded.event.id}: ${err.message}`);
    });
  }

  /** After the change committed: in-process listeners now, durable consumers through the relay. */
  publish(...recorded: RecordedEvent[]): void {
    for (const { event } of recorded) this.emitter.emit(event.name, event);
    const durable = recorded.filter((r) => this.consumers.for(r.event.name).length > 0).map((r) => r.event.id);
    if (durable.length) this.relay.kick(durable);
  }
}
