import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock, ConflictError } from '@app/common';
import { AppConfig } from '../../config/app-config';
import { LoaderFactory } from '../../graphql/request-loaders';
import { UsersService } from '../../users/users.service';
import { LessonStatus } from '../lesson.types';
import { LessonsRepository } from '../lessons.repository';
import { CalendarFeedRepository, FeedTokenConflict } from './calendar-feed.repository';
import { renderCalendar } from './ics';

/** Confirmed lessons from 30 days back to a year ahead, as teacher and as student. */
const PAST_DAYS = 30;
const FUTURE_DAYS = 366;
/** Optimistic retries when another rotation lands between our read and write. */
const ROTATE_ATTEMPTS = 5;
const FORMAT_LABEL: Record<string, string> = {
  ONLINE: 'online',
  TEACHER_STUDIO: "at the teacher's studio",
  STUDENT_HOME: "at the student's home",
};

@Injectable()
export class CalendarService {
  constructor(
    private readonly config: AppConfig,
    private readonly feeds: CalendarFeedRepository,
    private readonly lessons: LessonsRepository,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly loaders: LoaderFactory,
  ) {}

  /** The user's feed URL, created on first use. */
  async url(userId: string): Promise<string> {
    let token = await this.feeds.currentToken(userId);
    if (!token) {
      const next = newToken();
      try {
        await this.feeds.replace(userId, null, next);
        token = next;
      } catch (err) {
        if (!(err instanceof FeedTokenConflict)) throw err; // only a lost race means "created concurrently"
        token = await this.feeds.currentToken(userId);
        if (!token) throw err;
      }
    }
    return this.urlOf(token);
  }

  /** A new secret URL; the previous one stops working. Concurrent rotations: the last one wins. */
  async rotate(userId: string): Promise<string> {
    for (let attempt = 0; attempt < ROTATE_ATTEMPTS; attempt++) {
      const next = newToken();
      try {
        await this.feeds.replace(userId, await this.feeds.currentToken(userId), next);
        return this.urlOf(next);
      } catch (err) {
        if (!(err instanceof FeedTokenConflict)) throw err; // another rotation won the race: try again
      }
    }
    throw new ConflictError('The calendar feed was rotated concurrently; try again');
  }

  /** The .ics body for a token, or null when the token is unknown (or was rotated away). */
  async render(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const userId = await this.feeds.userOf(token);
    if (!userId) return null;
    const now = this.clock.now().getTime();
    const range = {
      from: new Date(now - PAST_DAYS * 86_400_000).toISOString(),
      to: new Date(now + FUTURE_DAYS * 86_400_000).toISOString(),
    };
    const confirmed = { ...range, statuses: [LessonStatus.CONFIRMED] };
    const [teaching, learning] = await Promise.all([
      this.lessons.allFor('teacher', userId, confirmed),
      this.lessons.allFor('student', userId, confirmed),
    ]);
    const lessons = [...teaching, ...learning].sort((a, b) => a.start.localeCompare(b.start));
    const ids = [...new Set(lessons.flatMap((l) => [l.teacherId, l.studentId]))];
    const users = await this.users.findMany(this.loaders.create(), ids);
    const people = new Map(users.filter((u) => u !== null).map((u) => [u.id, u.displayName]));
    return renderCalendar(
      'Take Sessions lessons',
      lessons.map((l) => {
        const teaches = l.teacherId === userId;
        const other = people.get(teaches ? l.studentId : l.teacherId) ?? 'someone';
        return {
          uid: `lesson-${l.id}@takesessions`,
          start: new Date(l.start),
          end: new Date(l.end),
          summary: teaches ? `Lesson with ${other} (teaching)` : `Lesson with ${other}`,
          description: `${l.durationMinutes}-minute lesson ${FORMAT_LABEL[l.format] ?? ''}${l.note ? `\n${l.note}` : ''}`,
          updated: new Date(l.updatedAt),
          sequence: l.version,
        };
      }),
    );
  }

  private urlOf(token: string): string {
    return `${this.config.publicBaseUrl}/calendar/${token}.ics`;
  }
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}
