import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock, ConflictError, lessonCalendarSequence, lessonCalendarUid } from '@app/common';
import { AppConfig } from '../../config/app-config';
import { LoaderFactory } from '../../graphql/request-loaders';
import { UsersService } from '../../users/users.service';
import { LessonStatus } from '../lesson.types';
import { LessonsRepository } from '../lessons.repository';
import { CalendarFeedRepository, FeedTokenConflict } from './calendar-feed.repository';
import { LessonPlaces } from '../lesson-places.service';
import type { LessonPlaceView } from '../lesson-place';
import { IcsEvent, renderCalendar } from './ics';

/**
 * Every lesson of the user, as teacher and as student, starting from a year back to a year ahead.
 * Lessons stay in the feed whatever happens to them (a subscribed client deletes what disappears
 * from a feed, so history would vanish): each keeps its UID, and its SEQUENCE (the lesson's
 * version) rises with every change, so clients replace their copy and remove cancelled ones.
 */
const PAST_DAYS = 365;
const FUTURE_DAYS = 366;
/** Optimistic retries when another rotation lands between our read and write. */
const ROTATE_ATTEMPTS = 5;
const FORMAT_LABEL: Record<string, string> = {
  ONLINE: 'online',
  TEACHER_STUDIO: "at the teacher's studio",
  STUDENT_HOME: "at the student's home",
};
const STATUS_OF: Record<LessonStatus, IcsEvent['status']> = {
  [LessonStatus.PENDING]: 'TENTATIVE',
  [LessonStatus.CONFIRMED]: 'CONFIRMED',
  [LessonStatus.COMPLETED]: 'CONFIRMED',
  [LessonStatus.NO_SHOW]: 'CONFIRMED',
  [LessonStatus.CANCELLED]: 'CANCELLED',
  [LessonStatus.DECLINED]: 'CANCELLED',
  [LessonStatus.EXPIRED]: 'CANCELLED',
};
const STATUS_NOTE: Partial<Record<LessonStatus, string>> = {
  [LessonStatus.PENDING]: "requested, awaiting the teacher's confirmation",
  [LessonStatus.COMPLETED]: 'took place',
  [LessonStatus.NO_SHOW]: 'the student did not come',
  [LessonStatus.CANCELLED]: 'cancelled',
  [LessonStatus.DECLINED]: 'declined by the teacher',
  [LessonStatus.EXPIRED]: 'the request expired unanswered',
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
    private readonly places: LessonPlaces,
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
    throw new ConflictError('The calendar feed was rotated concurrently; try again', {
      reason: 'CHANGED_CONCURRENTLY',
    });
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
    const [teaching, learning] = await Promise.all([
      this.lessons.allFor('teacher', userId, range),
      this.lessons.allFor('student', userId, range),
    ]);
    const lessons = [...teaching, ...learning].sort(
      (a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id),
    );
    const loaders = this.loaders.create();
    const ids = [...new Set(lessons.flatMap((l) => [l.teacherId, l.studentId]))];
    const users = await this.users.findMany(loaders, ids);
    const people = new Map(users.filter((u) => u !== null).map((u) => [u.id, u.displayName]));
    // The feed shows what its owner may see of each lesson's place (the same rules as Lesson.place).
    const owner = { userId, admin: false };
    const places = await Promise.all(lessons.map((l) => this.places.of(loaders, l, owner)));
    return renderCalendar(
      'Take Sessions lessons',
      lessons.map((l, i) => {
        const teaches = l.teacherId === userId;
        const other = people.get(teaches ? l.studentId : l.teacherId) ?? 'someone';
        const note = STATUS_NOTE[l.status];
        return {
          uid: lessonCalendarUid(l.id),
          start: new Date(l.start),
          end: new Date(l.end),
          summary: teaches ? `Lesson with ${other} (teaching)` : `Lesson with ${other}`,
          description: `${l.durationMinutes}-minute lesson ${FORMAT_LABEL[l.format] ?? ''}${note ? ` (${note})` : ''}${l.note ? `\n${l.note}` : ''}`,
          updated: new Date(l.updatedAt),
          sequence: lessonCalendarSequence(l.version),
          status: STATUS_OF[l.status],
          ...whereOf(places[i]),
        };
      }),
    );
  }

  private urlOf(token: string): string {
    return `${this.config.publicBaseUrl}/calendar/${token}.ics`;
  }
}

/** LOCATION (text clients show), URL (the meeting link) and GEO (an exact studio) of a lesson's place. */
function whereOf(place: LessonPlaceView | null): Pick<IcsEvent, 'location' | 'url' | 'geo'> {
  if (!place) return {};
  if (place.meetingUrl) return { location: place.meetingUrl, url: place.meetingUrl };
  const area = [place.city, place.country].filter(Boolean).join(', ');
  const location = place.address ?? (area || undefined);
  const geo =
    place.latitude !== null && place.longitude !== null
      ? { latitude: place.latitude, longitude: place.longitude }
      : undefined;
  return { ...(location ? { location } : {}), ...(geo ? { geo } : {}) };
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}
