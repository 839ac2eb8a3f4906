import { Injectable, OnModuleInit } from '@nestjs/common';
import { OutboxConsumers } from '../../events/outbox-consumers';
import { NotificationsService } from '../notifications.service';

/**
 * The notice before unused package credits expire (`credits.expiring`, raised once per lot by the
 * payments feature CREDIT_EXPIRY_NOTICE_DAYS ahead): a mail and an in-app notification to the
 * student, with a link to book the teacher. Keyed by the event, so a repeated delivery sends nothing.
 */
@Injectable()
export class CreditNoticesConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.consumers.register('notifications.credits-expiring', ['credits.expiring'], (event) =>
      this.notifications.notify({
        id: `${event.id}.credits-expiring`,
        template: 'credits-expiring',
        recipientId: event.payload.studentId,
        data: {
          kind: 'credits',
          credits: event.payload.credits,
          expiresAt: event.payload.expiresAt,
          teacherId: event.payload.teacherId,
        },
      }),
    );
  }
}
