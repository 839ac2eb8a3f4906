import { Injectable, OnModuleInit } from '@nestjs/common';
import type { DomainEvent, DomainEventName, LessonEventPayload } from '../../events/domain-events';
import { OutboxConsumers } from '../../events/outbox-consumers';
import { snapshotOf } from '../mail/mail-data';
import type { MailTemplate } from '../mail/mail-templates';
import { NotificationsService } from '../notifications.service';

/** A changed meeting link is shown on the lesson and in the calendar feed; it sends no mail. */
type LessonEvent = Exclude<Extract<DomainEventName, `lesson.${string}`>, 'lesson.meeting_url_changed'>;
type Side = 'teacher' | 'student' | 'other' | 'both';

/**
 * Who hears of each lifecycle change: the side that did not act, or both when the system acted
 * (expiry) or when a cancellation concerns each of them (the canceller gets the late-fee note).
 */
const NOTICES: Record<LessonEvent, { template: MailTemplate; to: Side }> = {
  'lesson.requested': { template: 'lesson-requested', to: 'teacher' },
  'lesson.confirmed': { template: 'lesson-confirmed', to: 'student' },
  'lesson.declined': { template: 'lesson-declined', to: 'student' },
  'lesson.cancelled': { template: 'lesson-cancelled', to: 'both' },
  'lesson.rescheduled': { template: 'lesson-rescheduled', to: 'other' },
  'lesson.expired': { template: 'lesson-expired', to: 'both' },
  'lesson.completed': { template: 'lesson-completed', to: 'student' },
  'lesson.no_show': { template: 'lesson-no-show', to: 'student' },
};

/** Lesson mails and in-app notifications: a durable consumer of every lesson event (at least once; notices are keyed). */
@Injectable()
export class LessonNoticesConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.consumers.register('notifications.lesson-notices', Object.keys(NOTICES) as LessonEvent[], (event) =>
      this.handle(event),
    );
  }

  async handle(event: DomainEvent<LessonEvent>): Promise<void> {
    const { template, to } = NOTICES[event.name];
    const lesson: LessonEventPayload = event.payload;
    for (const recipientId of recipientsOf(lesson, to)) {
      await this.notifications.notify({
        id: `${event.id}.${template}.${recipientId}`,
        template,
        recipientId,
        data: { kind: 'lesson', lesson: snapshotOf(lesson) },
      });
    }
  }
}

function recipientsOf(lesson: LessonEventPayload, side: Side): string[] {
  switch (side) {
    case 'teacher':
      return [lesson.teacherId];
    case 'student':
      return [lesson.studentId];
    case 'both':
      return [lesson.teacherId, lesson.studentId];
    case 'other':
      return [lesson.by === lesson.teacherId ? lesson.studentId : lesson.teacherId];
  }
}
