import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { DomainEvents } from './domain-events.service';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';

/** Domain events: in-process listeners through @nestjs/event-emitter, durable consumers through the outbox. */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: '.', ignoreErrors: false })],
  providers: [DomainEvents, OutboxConsumers, OutboxRelay, OutboxRepository],
  exports: [DomainEvents, OutboxConsumers, OutboxRelay],
})
export class EventsModule {}
