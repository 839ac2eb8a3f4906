import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '@app/common';
import { LessonQueriesService } from '../../bookings/lesson-queries.service';
import type { DomainEvent, DomainEventName } from '../../events/domain-events';
import { OutboxConsumers } from '../../events/outbox-consumers';
import { JobScheduler } from '../../jobs/job-scheduler.service';
import { snapshotOfLesson } from '../mail/mail-data';
import { NotificationsService } from '../notifications.service';

export const REMINDER_JOB = 'notifications.lesson-reminder';
export const REMINDER_OFFSETS = { '24h': 24 * 3_600_000, '1h': 3_600_000 } as const;
type Offset = keyof typeof REMINDER_OFFSETS;

const EVENTS: Array<Extract<DomainEventName, `lesson.${string}`>> = [
  'lesson.confirmed',
  'lesson.rescheduled',
  'lesson.cancelled',
  'lesson.declined',
  'lesson.expired',
  'lesson.completed',
  'lesson.no_show',
];

interface ReminderPayload {
  lessonId: string;
  offset: Offset;
  /** The start it reminds of: a lesson moved since is reminded by its newer job. */
  start: string;
}

/**
 * Reminders 24 hours and 1 hour before a confirmed lesson, to both sides. A durable consumer of
 * the lesson events keeps two delayed jobs per lesson (keyed lesson + offset, versioned by the
 * lesson's version, so an older event arriving late never moves them back): a confirmation
 * schedules them, a move reschedules them, anything that ends the lesson cancels them. Jobs are
 * stored, so a restart loses none, and run once across instances; when one fires it re-reads
 * the lesson and reminds only if it is still confirmed at that start. Each reminder mail is a
 * notice keyed by lesson, offset, start and recipient: sent once.
 */
@Injectable()
export class LessonReminders implements OnModuleInit {
  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly scheduler: JobScheduler,
    private readonly lessons: LessonQueriesService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumers.register('notifications.lesson-reminders', EVENTS, (event) => this.plan(event));
    this.scheduler.registerHandler<ReminderPayload>({ name: REMINDER_JOB, run: (payload) => this.remind(payload) });
  }

  async plan(event: DomainEvent<(typeof EVENTS)[number]>): Promise<void> {
    const lesson = event.payload;
    const confirmed = lesson.status === 'CONFIRMED';
    const now = this.clock.now().getTime();
    for (const [offset, before] of Object.entries(REMINDER_OFFSETS) as Array<[Offset, number]>) {
      const key = `${lesson.lessonId}:${offset}`;
      const at = Date.parse(lesson.start) - before;
      if (confirmed && at > now) {
        await this.scheduler.schedule<ReminderPayload>(
          REMINDER_JOB,
          { lessonId: lesson.lessonId, offset, start: lesson.start },
          new Date(at),
          { key, version: lesson.version },
        );
      } else {
        await this.scheduler.cancel(REMINDER_JOB, key, { olderThan: lesson.version });
      }
    }
  }

  async remind({ lessonId, offset, start }: ReminderPayload): Promise<void> {
    const lesson = await this.lessons.find(lessonId);
    if (!lesson || lesson.status !== 'CONFIRMED' || lesson.start !== start) return;
    const data = { kind: 'lesson' as const, lesson: snapshotOfLesson(lesson), offset };
    for (const recipientId of [lesson.teacherId, lesson.studentId]) {
      await this.notifications.notify({
        id: `reminder.${lessonId}.${offset}.${Date.parse(start)}.${recipientId}`,
        template: 'lesson-reminder',
        recipientId,
        data,
      });
    }
  }
}
