import { Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { EventBus } from '../realtime/pub-sub';
import { AccountEvent, AccountEventType } from './models/account-event.model';

const channel = (userId: string) => `account.${userId}`;

/** Pushes account events to every device of one user (and to nobody else: one channel per user). */
@Injectable()
export class AccountEventsService {
  constructor(
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  publish(userId: string, type: AccountEventType): Promise<void> {
    return this.bus.publish<{ accountEvents: AccountEvent }>(channel(userId), {
      accountEvents: { type, at: this.clock.now() },
    });
  }

  subscribe(userId: string) {
    return this.bus.subscribe(channel(userId));
  }
}
