import { Injectable } from '@nestjs/common';
import { EventBus } from '../realtime/pub-sub';
import type { Lesson } from './lesson.types';

const channel = (userId: string) => `lessons.${userId}`;

/** Every transition reaches both participants (one channel per user) and nobody else. */
@Injectable()
export class LessonEventsService {
  constructor(private readonly bus: EventBus) {}

  async published(lesson: Lesson): Promise<void> {
    await Promise.all(
      [lesson.teacherId, lesson.studentId].map((id) => this.bus.publish(channel(id), { lessonUpdated: lesson })),
    );
  }

  subscribe(userId: string) {
    return this.bus.subscribe<{ lessonUpdated: Lesson }>(channel(userId));
  }
}
