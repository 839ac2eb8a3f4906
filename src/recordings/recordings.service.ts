import { Injectable, Logger } from '@nestjs/common';
import { Clock, decodeAfter, encodeCursor, ForbiddenError, NotFoundError, type Page } from '@app/common';
import { isAdmin, type Viewer } from '../auth/viewer';
import { LessonQueriesService } from '../bookings/lesson-queries.service';
import type { Lesson } from '../bookings/lesson.types';
import { LessonStatus } from '../bookings/lesson.types';
import { AppConfig } from '../config/app-config';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { MediaService } from '../media/media.service';
import { MediaPurpose, MediaStatus } from '../media/media.types';
import { TeachersService } from '../teachers/teachers.service';
import type { ExtractedAssignment } from './analysis/analysis.types';
import { RecordingConsentsRepository } from './recording-consents.repository';
import { LessonRecording, RecordingState } from './recording.types';
import {
  ConsentMissingError,
  LessonNotStartedError,
  RecordingExistsError,
  recordingMediaProblem,
} from './recordings.errors';
import { RecordingUpdates } from './recording-updates.service';
import { RecordingsRepository } from './recordings.repository';
import { TRANSCRIBE_JOB, VENDOR_REMOVE_JOB } from './recordings.jobs-names';

const DAY_MS = 86_400_000;
/** Lessons in these states have taken place or are taking place (once their start has passed). */
const RECORDABLE = new Set([LessonStatus.CONFIRMED, LessonStatus.COMPLETED, LessonStatus.NO_SHOW]);
const REVOKE_BATCH = 200;

/** Cursor of a page of a student's assignments: the lesson (attachedAt, id) and the index in it. */
interface AssignmentCursor {
  t: string;
  l: string;
  i: number;
}
/** Cursor of a page of a student's progress: the lesson (attachedAt, id). */
interface LessonCursor {
  t: string;
  l: string;
}
const isLessonCursor = (c: LessonCursor) =>
  typeof c.t === 'string' && !Number.isNaN(Date.parse(c.t)) && typeof c.l === 'string';
const isAssignmentCursor = (c: AssignmentCursor) => isLessonCursor(c) && Number.isInteger(c.i) && c.i >= 0;

/**
 * Consent, attaching a recording, reading it, deleting it. Only the lesson's two participants see
 * anything of a recording (admins too, for abuse reports); to anyone else it does not exist.
 */
@Injectable()
export class RecordingsService {
  private readonly logger = new Logger(RecordingsService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly recordings: RecordingsRepository,
    private readonly consents: RecordingConsentsRepository,
    private readonly lessons: LessonQueriesService,
    private readonly media: MediaService,
    private readonly teachers: TeachersService,
    private readonly scheduler: JobScheduler,
    private readonly updates: RecordingUpdates,
  ) {}

  /**
   * Grants or revokes the viewer's consent, for one lesson (`lessonId`) or standing. Revoking
   * deletes the recordings it covered: the lesson's, or every recording of the viewer's lessons
   * that no per-lesson consent of theirs still covers.
   */
  async setConsent(viewer: Viewer, lessonId: string | null, granted: boolean) {
    if (lessonId) await this.participantLesson(viewer, lessonId);
    if (granted) await this.consents.grant(viewer.userId, lessonId, this.clock.now());
    else {
      // Consent first, recordings second: an attach racing this sees the consent gone on its re-check.
      await this.consents.revoke(viewer.userId, lessonId);
      const affected = lessonId ? [lessonId] : await this.recordings.lessonsOf(viewer.userId, REVOKE_BATCH);
      for (const id of affected) {
        if (!(await this.consents.consenting([viewer.userId], id)).has(viewer.userId)) await this.purge(id);
      }
    }
    return this.consentOf(viewer, lessonId);
  }

  async consentOf(viewer: Viewer, lessonId: string | null) {
    const { standing, lesson } = await this.consents.of(viewer.userId, lessonId);
    return { lessonId, standing, lesson };
  }

  /** Attaches an uploaded, verified LESSON_RECORDING to a lesson that has started; transcription starts off the request. */
  async attach(viewer: Viewer, lessonId: string, mediaId: string): Promise<LessonRecording> {
    const lesson = await this.participantLesson(viewer, lessonId);
    const now = this.clock.now();
    if (!RECORDABLE.has(lesson.status) || Date.parse(lesson.start) > now.getTime()) throw new LessonNotStartedError();
    const media = await this.media.find(mediaId);
    if (!media || media.ownerId !== viewer.userId) throw new NotFoundError('Media', mediaId);
    if (media.purpose !== MediaPurpose.LESSON_RECORDING || media.context.lessonId !== lessonId)
      throw recordingMediaProblem('not a LESSON_RECORDING uploaded for this lesson');
    if (media.status !== MediaStatus.READY) throw recordingMediaProblem(`the upload is ${media.status}, not READY`);
    if ((media.durationSeconds ?? 0) > this.config.RECORDING_MAX_SECONDS)
      throw recordingMediaProblem(`longer than ${this.config.RECORDING_MAX_SECONDS} seconds`);
    await this.requireConsent(lesson);

    const profile = await this.teachers.find(this.lessons.freshLoaders(), lesson.teacherId);
    const recording: LessonRecording = {
      lessonId,
      mediaId,
      teacherId: lesson.teacherId,
      studentId: lesson.studentId,
      attachedBy: viewer.userId,
      state: RecordingState.TRANSCRIBING,
      language: profile?.languages[0] ?? 'en',
      provider: null,
      jobId: null,
      retryingSince: null,
      lastError: null,
      failureReason: null,
      transcript: null,
      insights: null,
      assignmentsDone: [],
      attachedAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + this.config.RECORDING_RETENTION_DAYS * DAY_MS),
    };
    if (!(await this.recordings.insert(recording))) throw new RecordingExistsError();
    try {
      // A revocation between the first check and the insert would not have seen this recording.
      await this.requireConsent(lesson);
    } catch (err) {
      await this.recordings.remove(lessonId);
      throw err;
    }
    await this.scheduler.schedule(TRANSCRIBE_JOB, { lessonId }, now, { key: lessonId });
    this.scheduler.poke();
    await this.updates.published(recording);
    return recording;
  }

  /**
   * The lesson's recording for its participants and admins; null when the lesson has none (or
   * does not exist); FORBIDDEN for anyone else, as for the lesson itself.
   */
  async visible(viewer: Viewer, lessonId: string): Promise<LessonRecording | null> {
    const lesson = await this.lessons.find(lessonId);
    if (!lesson) return null;
    if (!isAdmin(viewer) && !isParticipant(lesson, viewer)) throw new ForbiddenError();
    return this.recordings.get(lessonId);
  }

  /** A participant (or an admin, for abuse) deletes the recording with its audio, transcript and insights; false when there was none. */
  async delete(viewer: Viewer, lessonId: string): Promise<boolean> {
    const recording = await this.visible(viewer, lessonId);
    if (!recording) return false;
    return this.purge(lessonId);
  }

  /**
   * Removes the recording document (transcript and insights with it), the audio and the vendor's
   * copy. The document goes first: jobs still running find nothing and stop.
   */
  async purge(lessonId: string): Promise<boolean> {
    const gone = await this.recordings.remove(lessonId);
    if (!gone) return false;
    await this.media.removeForFeature(gone.mediaId);
    if (gone.jobId) await this.scheduler.schedule(VENDOR_REMOVE_JOB, { jobId: gone.jobId }, this.clock.now());
    await this.scheduler.cancel(TRANSCRIBE_JOB, lessonId);
    return true;
  }

  /**
   * Practice assignments found in a student's READY recordings, newest lesson first and in the
   * lesson's order: the student's own (or any student's, for an admin), or for a teacher those of
   * their lessons with the student. One page of `first` after the cursor `after`.
   */
  async practiceAssignments(
    viewer: Viewer,
    studentId: string | null,
    first: number,
    after?: string,
  ): Promise<Page<StudentAssignment>> {
    const student = studentId ?? viewer.userId;
    const teacherId = student === viewer.userId || isAdmin(viewer) ? null : viewer.userId;
    const cursor = decodeAfter<AssignmentCursor>(after, isAssignmentCursor);
    // Only recordings with assignments come back, so the cursor's own lesson (its rest may be
    // empty) and first + 1 more always fill the page and tell whether another follows.
    const recordings = await this.recordings.readyOfStudent(student, teacherId, first + 2, {
      from: cursor ? { attachedAt: new Date(cursor.t), lessonId: cursor.l } : undefined,
      includeFrom: true,
      withAssignments: true,
    });
    const all = recordings
      .flatMap((r) => (r.insights?.assignments ?? []).map((a, index) => assignmentOf(r, index, a)))
      .filter((a) => !cursor || a.lessonId !== cursor.l || a.index > cursor.i);
    const items = all.slice(0, first);
    const cursorOf = (a: StudentAssignment) =>
      encodeCursor({ t: a.assignedAt.toISOString(), l: a.lessonId, i: a.index } satisfies AssignmentCursor);
    return { items, nextCursor: all.length > first ? cursorOf(items[items.length - 1]) : null, cursorOf };
  }

  /**
   * How a student's playing moves across recorded lessons, newest first, one page of `first`
   * after `after`: the teacher's lessons with the student (the student sees all of theirs; an
   * admin any student's).
   */
  async trend(viewer: Viewer, studentId: string, first: number, after?: string): Promise<Page<LessonTrendPoint>> {
    const teacherId = studentId === viewer.userId || isAdmin(viewer) ? null : viewer.userId;
    const cursor = decodeAfter<LessonCursor>(after, isLessonCursor);
    const recordings = await this.recordings.readyOfStudent(studentId, teacherId, first + 1, {
      from: cursor ? { attachedAt: new Date(cursor.t), lessonId: cursor.l } : undefined,
    });
    const items = recordings.slice(0, first).map((r) => trendPointOf(r));
    const cursorOf = (p: LessonTrendPoint) =>
      encodeCursor({ t: p.recordedAt.toISOString(), l: p.lessonId } satisfies LessonCursor);
    return {
      items,
      nextCursor: recordings.length > first ? cursorOf(items[items.length - 1]) : null,
      cursorOf,
    };
  }

  /** The lesson's student ticks (or unticks) an assignment as practised. */
  async setAssignmentDone(viewer: Viewer, lessonId: string, index: number, done: boolean): Promise<StudentAssignment> {
    const lesson = await this.participantLesson(viewer, lessonId);
    if (lesson.studentId !== viewer.userId) throw new ForbiddenError('Only the lesson’s student ticks its assignments');
    const current = await this.recordings.get(lessonId);
    const assignment = current?.insights?.assignments[index];
    if (!assignment) throw new NotFoundError('PracticeAssignment', `${lessonId}#${index}`);
    const updated = await this.recordings.setAssignmentDone(lessonId, index, done, this.clock.now());
    if (!updated) throw new NotFoundError('PracticeAssignment', `${lessonId}#${index}`);
    return assignmentOf(updated, index, assignment);
  }

  /** The `recordings.retention` job: recordings past their retention period go. */
  async sweepExpired(): Promise<number> {
    let removed = 0;
    for (const id of await this.recordings.expired(this.clock.now(), 100)) if (await this.purge(id)) removed++;
    if (removed) this.logger.log(`retention removed ${removed} lesson recordings`);
    return removed;
  }

  private async requireConsent(lesson: Lesson): Promise<void> {
    const yes = await this.consents.consenting([lesson.teacherId, lesson.studentId], lesson.id);
    const missing = [
      ...(yes.has(lesson.teacherId) ? [] : (['TEACHER'] as const)),
      ...(yes.has(lesson.studentId) ? [] : (['STUDENT'] as const)),
    ];
    if (missing.length) throw new ConsentMissingError(missing);
  }

  private async participantLesson(viewer: Viewer, lessonId: string): Promise<Lesson> {
    const lesson = await this.lessons.find(lessonId);
    if (!lesson) throw new NotFoundError('Lesson', lessonId);
    if (!isParticipant(lesson, viewer)) throw new ForbiddenError();
    return lesson;
  }
}

export interface StudentAssignment extends ExtractedAssignment {
  lessonId: string;
  index: number;
  done: boolean;
  assignedAt: Date;
}

function assignmentOf(r: LessonRecording, index: number, a: ExtractedAssignment): StudentAssignment {
  return { ...a, lessonId: r.lessonId, index, done: r.assignmentsDone.includes(index), assignedAt: r.attachedAt };
}

export interface LessonTrendPoint {
  lessonId: string;
  recordedAt: Date;
  playShare: number;
  /** Mean tempo stability of the playing passages that have a tempo. */
  tempoStability: number | null;
  /** Median of the passages' absolute median deviations, cents. */
  intonationCents: number | null;
}

function trendPointOf(r: LessonRecording): LessonTrendPoint {
  const playing = r.insights?.playing ?? [];
  const stabilities = playing.map((p) => p.tempoStability).filter((x): x is number => x !== null);
  const cents = playing
    .map((p) => p.intonationMedianCents)
    .filter((x): x is number => x !== null)
    .map(Math.abs)
    .sort((a, b) => a - b);
  return {
    lessonId: r.lessonId,
    recordedAt: r.attachedAt,
    playShare: r.insights?.shares.playing ?? 0,
    tempoStability: stabilities.length
      ? Math.round((stabilities.reduce((s, x) => s + x, 0) / stabilities.length) * 100) / 100
      : null,
    intonationCents: cents.length ? cents[Math.floor((cents.length - 1) / 2)] : null,
  };
}

function isParticipant(lesson: Lesson, viewer: Viewer): boolean {
  return lesson.teacherId === viewer.userId || lesson.studentId === viewer.userId;
}
