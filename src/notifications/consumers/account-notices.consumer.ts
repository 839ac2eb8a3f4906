import { Injectable, OnModuleInit } from '@nestjs/common';
import { OutboxConsumers } from '../../events/outbox-consumers';
import { NotificationsService } from '../notifications.service';

/**
 * Account and security mails: the verification link, the password-reset link, and the notices
 * that the password or the address changed (the latter to the address the account left).
 */
@Injectable()
export class AccountNoticesConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.consumers.register('notifications.verify-email', ['account.verification_requested'], (event) =>
      this.notifications.notify({
        id: `${event.id}.verify-email`,
        template: 'verify-email',
        recipientId: event.payload.userId,
        data: {
          kind: 'account',
          email: event.payload.email,
          tokenId: event.payload.tokenId,
          expiresAt: event.payload.expiresAt,
        },
      }),
    );
    this.consumers.register('notifications.password-reset', ['account.password_reset_requested'], (event) =>
      this.notifications.notify({
        id: `${event.id}.password-reset`,
        template: 'password-reset',
        recipientId: event.payload.userId,
        data: {
          kind: 'account',
          email: event.payload.email,
          tokenId: event.payload.tokenId,
          expiresAt: event.payload.expiresAt,
        },
      }),
    );
    this.consumers.register('notifications.password-changed', ['account.password_changed'], (event) =>
      this.notifications.notify({
        id: `${event.id}.password-changed`,
        template: 'password-changed',
        recipientId: event.payload.userId,
        data: { kind: 'account', email: '', changedAt: event.occurredAt },
      }),
    );
    this.consumers.register('notifications.email-changed', ['account.email_changed'], (event) =>
      this.notifications.notify({
        id: `${event.id}.email-changed`,
        template: 'email-changed',
        recipientId: event.payload.userId,
        data: {
          kind: 'account',
          to: event.payload.previousEmail,
          email: event.payload.previousEmail,
          newEmail: event.payload.email,
        },
      }),
    );
  }
}
