import { Injectable } from '@nestjs/common';
import { SubscriptionFanout } from '../realtime/subscription-fanout';
import type { Lesson } from './lesson.types';

const channel = (userId: string) => `lessons.${userId}`;

/**
 * The `lessonUpdated` subscription: every change reaches both participants (one channel per user)
 * and nobody else. Best effort: the change is already committed (see SubscriptionFanout.notify).
 */
@Injectable()
export class LessonSubscriptions {
  constructor(private readonly bus: SubscriptionFanout) {}

  async published(lesson: Lesson): Promise<void> {
    await Promise.all(
      [lesson.teacherId, lesson.studentId].map((id) => this.bus.notify(channel(id), { lessonUpdated: lesson })),
    );
  }

  subscribe(userId: string) {
    return this.bus.subscribe<{ lessonUpdated: Lesson }>(channel(userId));
  }
}
