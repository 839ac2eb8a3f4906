import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Clock } from '@app/common';
import type { DomainEvent } from '../events/domain-events';
import { SubscriptionFanout } from '../realtime/subscription-fanout';
import { AccountEvent, AccountEventType } from './models/account-event.model';

const channel = (userId: string) => `account.${userId}`;

/**
 * Pushes account events to every device of one user (and to nobody else: one channel per user).
 * Best effort: the change they report is already made (see SubscriptionFanout.notify).
 */
@Injectable()
export class AccountEventsService {
  constructor(
    private readonly bus: SubscriptionFanout,
    private readonly clock: Clock,
  ) {}

  publish(userId: string, type: AccountEventType): Promise<void> {
    return this.bus.notify<{ accountEvents: AccountEvent }>(channel(userId), {
      accountEvents: { type, at: this.clock.now() },
    });
  }

  // Devices hear of a suspension or reinstatement through the domain event (in-process listener).
  @OnEvent('account.suspended')
  onSuspended(event: DomainEvent<'account.suspended'>): Promise<void> {
    return this.publish(event.payload.userId, AccountEventType.SUSPENDED);
  }

  @OnEvent('account.reinstated')
  onReinstated(event: DomainEvent<'account.reinstated'>): Promise<void> {
    return this.publish(event.payload.userId, AccountEventType.REINSTATED);
  }

  @OnEvent('account.deleted')
  onDeleted(event: DomainEvent<'account.deleted'>): Promise<void> {
    return this.publish(event.payload.userId, AccountEventType.DELETED);
  }

  subscribe(userId: string) {
    return this.bus.subscribe(channel(userId));
  }
}
