import { Injectable } from '@nestjs/common';
import type { DomainEvent, DomainEventName, EventHandler } from './domain-events';

/**
 * The durable consumers of this instance, registered by features at boot:
 * `consumers.register('teachers.rating', ['review.created', ...], handler)`. The consumer name
 * identifies the reaction in the outbox (an event stays until each named consumer has handled it).
 */
@Injectable()
export class OutboxConsumers {
  private readonly handlers = new Map<string, { names: Set<DomainEventName>; handle: EventHandler }>();

  register<N extends DomainEventName>(consumer: string, names: N[], handle: EventHandler<N>): void {
    if (this.handlers.has(consumer)) throw new Error(`outbox consumer ${consumer} is registered twice`);
    this.handlers.set(consumer, { names: new Set(names), handle: handle as unknown as EventHandler });
  }

  /** The consumers that must handle an event of this name (recorded with the event). */
  for(name: DomainEventName): string[] {
    return [...this.handlers].filter(([, h]) => h.names.has(name)).map(([consumer]) => consumer);
  }

  /** Undefined when this instance does not know the consumer (another version of the server does). */
  handler(consumer: string): ((event: DomainEvent) => Promise<void>) | undefined {
    return this.handlers.get(consumer)?.handle;
  }
}
