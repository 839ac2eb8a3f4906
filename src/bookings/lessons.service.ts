import { Injectable, Logger, Optional } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import {
  Clock,
  ConflictError,
  FieldProblem,
  ForbiddenError,
  NotFoundError,
  SlotConflict,
  SlotConflictReason,
  SlotUnavailableError,
  StoreUnavailableError,
  ValidationFailedError,
} from '@app/common';
import type { TransactPart } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { DomainEvents, RecordedEvent } from '../events/domain-events.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { EmailNotVerifiedError, UsersService } from '../users/users.service';
import { UserStatus } from '../users/user.types';
import { LessonFormat, TeacherScheduling } from '../teachers/teacher-scheduling';
import { isAdmin, Viewer } from '../auth/viewer';
import { AvailabilityService, offeringProblem, requireOffered } from './availability/availability.service';
import { granulesFor, isOnGrid } from './granules';
import { cancellationTerms, lateChangeAfterMove } from './late-changes';
import { EVENT_OF_ACTION, lessonEventPayload } from './lesson-domain-events';
import { Actor, targetStatus, TRANSITIONS, TransitionAction } from './lesson-state-machine';
import { LessonSubscriptions } from './lesson-subscriptions.service';
import { HistoryEntry, Lesson, LessonAction, LessonStatus } from './lesson.types';
import { LessonWriteFailed } from './bookings.errors';
import { LessonBilling, LessonBillingChange, NoLessonBilling } from './lesson-billing';
import { LessonsRepository } from './lessons.repository';

/** Attempts of a lesson change whose payment was changed meanwhile by its provider's sync. */
const BILLING_ATTEMPTS = 3;

/** Builds the idempotency record of the lessons a request produced, for its transaction. */
type Remember = (lessonIds: string[]) => TransactPart;

/** A series' events wait this long in the outbox before the sweep may deliver them (they are kicked once all chunks are in). */
const SERIES_EVENT_HOLD_MS = 60_000;

export interface LessonRequest {
  teacherId: string;
  start: Date;
  durationMinutes: number;
  format: LessonFormat;
  note?: string;
  /** STUDENT_HOME only (and required there). */
  studentAddress?: string;
  /** A credit lot of the student's to pay with (LessonBilling); without one the lesson is paid per lesson. */
  creditId?: string;
}

@Injectable()
export class LessonsService {
  private readonly logger = new Logger(LessonsService.name);
  private readonly billing: LessonBilling;

  constructor(
    private readonly config: AppConfig,
    private readonly lessons: LessonsRepository,
    private readonly availability: AvailabilityService,
    private readonly subscriptions: LessonSubscriptions,
    private readonly domainEvents: DomainEvents,
    private readonly idempotency: IdempotencyService,
    private readonly users: UsersService,
    private readonly clock: Clock,
    @Optional() billing?: LessonBilling,
  ) {
    this.billing = billing ?? new NoLessonBilling();
  }

  /** A student asks for a slot: the PENDING lesson holds it at once (its locks are written with it). */
  async request(viewer: Viewer, input: LessonRequest, idempotencyKey?: string): Promise<Lesson> {
    return this.idempotent(viewer, 'requestLesson', input, idempotencyKey, async (remember) => {
      const now = this.clock.now();
      if (viewer.emailVerified === false) throw new EmailNotVerifiedError('book a lesson');
      if (input.teacherId === viewer.userId)
        throw ValidationFailedError.field('input.teacherId', 'you cannot book a lesson with yourself');
      const teacher = await this.bookableTeacher(input.teacherId);
      // Every problem of the request in one answer: length, format and start.
      const problems = offerProblems(teacher, input);
      const slot = await this.slotProblem(teacher, input.start, input.durationMinutes, now);
      if (slot?.kind === 'input') problems.push({ field: 'input.start', message: slot.message });
      if (problems.length) throw new ValidationFailedError(problems);
      // A well-formed start the teacher cannot give now is not invalid input: SLOT_UNAVAILABLE.
      if (slot?.kind === 'slot')
        throw new SlotUnavailableError(slot.message, [slotConflict(input.start, teacher.timeZone, slot.reason)]);
      const offering = requireOffered(teacher, input.durationMinutes, 'input.durationMinutes');
      const lesson = this.newLesson(viewer, teacher, input, offering.priceMinor, offering.currency, now);
      return this.commit(null, lesson, LessonAction.REQUEST, remember, input.creditId);
    });
  }

  /** Weekly occurrences at the same local time, all taken or none (the conflicting dates are named). */
  async requestSeries(
    viewer: Viewer,
    input: LessonRequest & { occurrences?: number; until?: string },
    idempotencyKey?: string,
  ): Promise<Lesson[]> {
    return this.idempotentMany(viewer, 'requestLessonSeries', input, idempotencyKey, async (remember) => {
      const now = this.clock.now();
      if (viewer.emailVerified === false) throw new EmailNotVerifiedError('book a lesson');
      if (input.teacherId === viewer.userId)
        throw ValidationFailedError.field('input.teacherId', 'you cannot book a lesson with yourself');
      const teacher = await this.bookableTeacher(input.teacherId);
      const problems = offerProblems(teacher, input);
      if (input.creditId)
        problems.push({
          field: 'input.creditId',
          message: 'a series is paid per lesson; book single lessons to pay with credits',
        });
      let starts: Date[] = [];
      try {
        starts = seriesStarts(input.start, teacher.timeZone, input.occurrences, input.until);
      } catch (err) {
        if (!(err instanceof ValidationFailedError)) throw err;
        problems.push(...err.fields);
      }
      // Every date has the first's minutes past the hour: one off the grid means all are.
      const malformed = startInputProblem(input.start);
      if (malformed) problems.push({ field: 'input.start', message: malformed });
      if (problems.length) throw new ValidationFailedError(problems);
      const offering = requireOffered(teacher, input.durationMinutes, 'input.durationMinutes');

      // Check every date first, so the answer names all conflicts, not just the first.
      const conflicts: SlotConflict[] = [];
      for (const start of starts) {
        const problem = await this.slotProblem(teacher, start, input.durationMinutes, now);
        if (problem?.kind === 'input') throw ValidationFailedError.field('input.start', problem.message);
        if (problem) conflicts.push(slotConflict(start, teacher.timeZone, problem.reason));
      }
      if (conflicts.length > 0) {
        const dates = conflicts.map((c) => c.localDate).join(', ');
        throw new SlotUnavailableError(
          `${conflicts.length} of ${starts.length} dates cannot be booked: ${dates}`,
          conflicts,
        );
      }

      const seriesId = ulid();
      const lessons = starts.map((start) =>
        this.newLesson(viewer, teacher, { ...input, start }, offering.priceMinor, offering.currency, now, seriesId),
      );
      // Each lesson's event is written with it, held back until the whole series is in.
      const events = lessons.map((l) =>
        this.domainEvents.record(EVENT_OF_ACTION[LessonAction.REQUEST], lessonEventPayload(l), {
          holdMs: SERIES_EVENT_HOLD_MS,
        }),
      );
      const billing = await Promise.all(
        lessons.map((after) => this.billing.plan({ action: LessonAction.REQUEST, before: null, after })),
      );
      // A series can exceed DynamoDB's 100 items per transaction: write in chunks and undo the
      // written chunks if a later one loses a race, so the call still takes all or nothing.
      const chunks = chunkByItems(lessons, events, billing, 99);
      const written: Lesson[] = [];
      // The idempotency record (naming every lesson) goes with the first chunk, so a retry arriving
      // while later chunks are written finds it and waits for them instead of racing them.
      const record = remember?.(lessons.map((l) => l.id));
      for (const [i, chunk] of chunks.entries()) {
        try {
          const parts = [
            ...(i === 0 && record ? [record] : []),
            ...chunk.flatMap((l) => [...billing[lessons.indexOf(l)], ...events[lessons.indexOf(l)].parts]),
          ];
          await this.lessons.create(chunk, parts);
          written.push(...chunk);
        } catch (err) {
          await this.undoSeries(viewer, written, events, idempotencyKey, err);
          if (err instanceof LessonWriteFailed && err.failure.kind === 'slot-taken') {
            const conflicts = chunk.map((l) => slotConflict(l.start, teacher.timeZone, SlotConflictReason.TAKEN));
            throw new SlotUnavailableError(
              `Another booking took one of these dates meanwhile: ${conflicts.map((c) => c.localDate).join(', ')}; nothing was booked`,
              conflicts,
            );
          }
          throw err;
        }
      }
      this.domainEvents.publish(...events);
      for (const after of lessons) this.billing.committed({ action: LessonAction.REQUEST, before: null, after });
      await Promise.all(lessons.map((l) => this.subscriptions.published(l)));
      return lessons;
    });
  }

  async confirm(viewer: Viewer, id: string, idempotencyKey?: string) {
    return this.transition(viewer, id, LessonAction.CONFIRM, {}, idempotencyKey);
  }
  async decline(viewer: Viewer, id: string, reason?: string, idempotencyKey?: string) {
    return this.transition(viewer, id, LessonAction.DECLINE, { reason }, idempotencyKey);
  }
  async cancel(viewer: Viewer, id: string, reason: string, idempotencyKey?: string) {
    return this.transition(viewer, id, LessonAction.CANCEL, { reason }, idempotencyKey);
  }
  async complete(viewer: Viewer, id: string, idempotencyKey?: string) {
    return this.transition(viewer, id, LessonAction.COMPLETE, {}, idempotencyKey);
  }
  async markNoShow(viewer: Viewer, id: string, idempotencyKey?: string) {
    return this.transition(viewer, id, LessonAction.MARK_NO_SHOW, {}, idempotencyKey);
  }

  /** Deletes a partly written series, its held events and its idempotency record (so a retry may book anew). */
  private async undoSeries(
    viewer: Viewer,
    written: Lesson[],
    events: RecordedEvent[],
    idempotencyKey: string | undefined,
    cause: unknown,
  ): Promise<void> {
    try {
      await this.lessons.remove(written);
      await Promise.all(events.map((e) => this.domainEvents.discard(e)));
      if (idempotencyKey && written.length > 0) await this.idempotency.forget(viewer.userId, idempotencyKey);
    } catch (undoErr) {
      // The original failure is what the client must see; the leftovers are PENDING and expire.
      this.logger.error(
        `could not undo ${written.length} lessons of a failed series: ${(undoErr as Error).message} (after: ${(cause as Error).message})`,
      );
    }
  }

  /** Cancels this occurrence and every later active one of its series. */
  async cancelFollowing(viewer: Viewer, id: string, reason: string): Promise<Lesson[]> {
    checkReason(reason);
    const lesson = await this.visible(viewer, id);
    if (!lesson.seriesId)
      throw new ConflictError('This lesson is not part of a series', {
        reason: 'NOT_A_SERIES',
        currentStatus: lesson.status,
      });
    const members = await this.seriesFrom(lesson);
    const cancelled: Lesson[] = [];
    for (const member of members) {
      if (member.status !== LessonStatus.PENDING && member.status !== LessonStatus.CONFIRMED) continue;
      if (new Date(member.start) <= this.clock.now()) continue;
      cancelled.push(await this.transition(viewer, member.id, LessonAction.CANCEL, { reason }));
    }
    return cancelled;
  }

  /** Moves a lesson: the new slot is taken and the old one freed in one transaction, or nothing changes. */
  async reschedule(viewer: Viewer, id: string, newStart: Date, idempotencyKey?: string): Promise<Lesson> {
    return this.idempotent(viewer, 'rescheduleLesson', { id, newStart }, idempotencyKey, async (remember) => {
      const now = this.clock.now();
      const lesson = await this.notOverdue(await this.visible(viewer, id), now);
      const actor = this.actorOf(viewer, lesson);
      const to = targetStatus(LessonAction.RESCHEDULE, lesson.status, actor, now, new Date(lesson.end));
      if (new Date(lesson.start) <= now)
        throw new ConflictError('Cannot reschedule a lesson that has started', {
          reason: 'LESSON_STARTED',
          currentStatus: lesson.status,
        });
      if (newStart.getTime() === new Date(lesson.start).getTime())
        throw ValidationFailedError.field('input.start', 'the lesson already starts then');
      const teacher = await this.bookableTeacher(lesson.teacherId);
      await this.assertBookable(
        teacher,
        newStart,
        lesson.durationMinutes,
        now,
        'input.start',
        lesson.locks,
        lesson.bufferMinutes,
      );
      const end = new Date(newStart.getTime() + lesson.durationMinutes * 60_000);
      // A student's move inside the notice carries the late fee along (late-changes.ts).
      const lateChange = lateChangeAfterMove(lesson, actor, viewer.userId, now);
      const after = this.advance(lesson, viewer, LessonAction.RESCHEDULE, to, now, {
        start: newStart.toISOString(),
        end: end.toISOString(),
        locks: granulesFor(newStart, end, lesson.bufferMinutes),
        pendingExpiresAt: to === LessonStatus.PENDING ? this.pendingExpiry(now, newStart) : undefined,
        ...(lateChange ? { lateChange } : {}),
      });
      after.history[after.history.length - 1].previousStart = lesson.start;
      return this.commit(lesson, after, LessonAction.RESCHEDULE, remember);
    });
  }

  /**
   * The teacher sets (or with null clears) the meeting link of one ONLINE lesson; without one the
   * teacher's default link applies. A change like any other: version, history entry, event.
   */
  async setMeetingUrl(viewer: Viewer, id: string, meetingUrl: string | null, idempotencyKey?: string): Promise<Lesson> {
    return this.idempotent(viewer, 'setLessonMeetingUrl', { id, meetingUrl }, idempotencyKey, async (remember) => {
      const now = this.clock.now();
      const lesson = await this.notOverdue(await this.visible(viewer, id), now);
      if (this.actorOf(viewer, lesson) !== 'TEACHER')
        throw new ForbiddenError('Only the teacher of a lesson may set its meeting link');
      if (lesson.format !== LessonFormat.ONLINE)
        throw ValidationFailedError.field('lessonId', `a ${lesson.format} lesson has no meeting link`);
      if (lesson.status !== LessonStatus.PENDING && lesson.status !== LessonStatus.CONFIRMED)
        throw new ConflictError(`Cannot change the meeting link of a ${lesson.status} lesson`, {
          reason: 'ILLEGAL_TRANSITION',
          currentStatus: lesson.status,
        });
      if ((lesson.meetingUrl ?? null) === meetingUrl) return lesson;
      // undefined is not stored: clearing the link removes the attribute.
      const after = this.advance(lesson, viewer, LessonAction.SET_MEETING_URL, lesson.status, now, {
        meetingUrl: meetingUrl ?? undefined,
      });
      return this.commit(lesson, after, LessonAction.SET_MEETING_URL, remember);
    });
  }

  /** Expires due PENDING requests (the `lessons.expire-pending` job; safe to race). */
  async expireDue(now = this.clock.now(), limit = 100): Promise<number> {
    let expired = 0;
    for (const id of await this.lessons.duePending(now, limit)) {
      const lesson = await this.lessons.get(id);
      if (lesson && (await this.expire(lesson, now))) expired++;
    }
    return expired;
  }

  /** Expires one overdue PENDING request; false when it is not (or no longer) one. */
  private async expire(lesson: Lesson, now: Date): Promise<boolean> {
    if (lesson.status !== LessonStatus.PENDING || !lesson.pendingExpiresAt || new Date(lesson.pendingExpiresAt) > now)
      return false;
    const to = targetStatus(LessonAction.EXPIRE, lesson.status, 'SYSTEM', now, new Date(lesson.end));
    const after = this.advance(lesson, null, LessonAction.EXPIRE, to, now, {});
    try {
      await this.commit(lesson, after, LessonAction.EXPIRE);
      return true;
    } catch (err) {
      // Someone confirmed or cancelled it meanwhile.
      if (err instanceof ConflictError || err instanceof SlotUnavailableError) return false;
      throw err;
    }
  }

  /** A lesson for its participants and admins: NOT_FOUND when missing (for the mutations acting on it). */
  async visible(viewer: Viewer, id: string): Promise<Lesson> {
    const lesson = await this.find(viewer, id);
    if (!lesson) throw new NotFoundError('Lesson', id);
    return lesson;
  }

  /** A lesson for its participants and admins, or null when there is none; FORBIDDEN for anyone else. */
  async find(viewer: Viewer, id: string): Promise<Lesson | null> {
    const lesson = await this.lessons.get(id);
    if (lesson && lesson.teacherId !== viewer.userId && lesson.studentId !== viewer.userId && !isAdmin(viewer)) {
      throw new ForbiddenError('Only the participants of a lesson and admins may see it');
    }
    return lesson;
  }

  private async transition(
    viewer: Viewer,
    id: string,
    action: TransitionAction,
    opts: { reason?: string },
    idempotencyKey?: string,
  ): Promise<Lesson> {
    return this.idempotent(viewer, action, { id, ...opts }, idempotencyKey, async (remember) => {
      const now = this.clock.now();
      const lesson = await this.notOverdue(await this.visible(viewer, id), now);
      const actor = this.actorOf(viewer, lesson);
      const to = targetStatus(action, lesson.status, actor, now, new Date(lesson.end));
      const changes: Partial<Lesson> = {};
      checkReason(opts.reason);
      if (action === LessonAction.CANCEL) {
        if (new Date(lesson.start) <= now)
          throw new ConflictError('Cannot cancel a lesson that has started', {
            reason: 'LESSON_STARTED',
            currentStatus: lesson.status,
          });
        changes.cancellation = cancellationTerms(lesson, actor, viewer.userId, opts.reason ?? '', now);
      }
      const after = this.advance(lesson, viewer, action, to, now, changes, opts.reason);
      return this.commit(lesson, after, action, remember);
    });
  }

  /**
   * A PENDING request past its expiry is expired here rather than acted on, even if the sweeper
   * has not reached it yet: a hold cannot be confirmed or moved after its time is up.
   */
  private async notOverdue(lesson: Lesson, now: Date): Promise<Lesson> {
    if (lesson.status !== LessonStatus.PENDING || !lesson.pendingExpiresAt || new Date(lesson.pendingExpiresAt) > now)
      return lesson;
    // Only this request is expired here: a user's mutation never runs a global sweep. The answer
    // below stands without it, but not without the store.
    await this.expire(lesson, now).catch((err: unknown) => {
      if (err instanceof StoreUnavailableError) throw err;
      return false;
    });
    const current = (await this.lessons.get(lesson.id)) ?? lesson;
    throw new ConflictError(`This request expired at ${lesson.pendingExpiresAt}`, {
      reason: 'REQUEST_EXPIRED',
      currentStatus: current.status === LessonStatus.PENDING ? LessonStatus.EXPIRED : current.status,
    });
  }

  private actorOf(viewer: Viewer, lesson: Lesson): Actor {
    if (viewer.userId === lesson.teacherId) return 'TEACHER';
    if (viewer.userId === lesson.studentId) return 'STUDENT';
    throw new ForbiddenError('Only the teacher or the student of a lesson may change it');
  }

  /** The next version of a lesson after `action`; leaving the active states frees its locks. */
  private advance(
    lesson: Lesson,
    viewer: Viewer | null,
    action: LessonAction,
    to: LessonStatus,
    now: Date,
    changes: Partial<Lesson>,
    reason?: string,
  ): Lesson {
    const releases = action in TRANSITIONS && TRANSITIONS[action as TransitionAction].releasesSlot;
    const entry: HistoryEntry = {
      action,
      by: viewer?.userId ?? 'system',
      at: now.toISOString(),
      from: lesson.status,
      to,
      ...(reason ? { reason } : {}),
    };
    return {
      ...lesson,
      pendingExpiresAt: to === LessonStatus.PENDING ? lesson.pendingExpiresAt : undefined,
      locks: releases ? [] : lesson.locks,
      ...changes,
      status: to,
      history: [...lesson.history, entry],
      version: lesson.version + 1,
      updatedAt: now.toISOString(),
    };
  }

  private newLesson(
    viewer: Viewer,
    teacher: TeacherScheduling,
    input: LessonRequest,
    priceMinor: number,
    currency: string,
    now: Date,
    seriesId?: string,
  ): Lesson {
    const end = new Date(input.start.getTime() + input.durationMinutes * 60_000);
    const at = now.toISOString();
    return {
      id: ulid(),
      teacherId: teacher.teacherId,
      studentId: viewer.userId,
      start: input.start.toISOString(),
      end: end.toISOString(),
      durationMinutes: input.durationMinutes,
      format: input.format,
      ...(input.note ? { note: input.note } : {}),
      ...(input.studentAddress ? { studentAddress: input.studentAddress } : {}),
      status: LessonStatus.PENDING,
      priceMinor,
      currency,
      locks: granulesFor(input.start, end, teacher.policies.bufferMinutes),
      bufferMinutes: teacher.policies.bufferMinutes,
      teacherTimeZone: teacher.timeZone,
      cancellationNoticeHours: teacher.policies.cancellationNoticeHours,
      lateCancellationFeePercent: teacher.policies.lateCancellationFeePercent,
      history: [{ action: LessonAction.REQUEST, by: viewer.userId, at, from: null, to: LessonStatus.PENDING }],
      ...(seriesId ? { seriesId } : {}),
      pendingExpiresAt: this.pendingExpiry(now, input.start),
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
  }

  /** A request expires after the configured time, and at the latest when the lesson would start. */
  private pendingExpiry(now: Date, start: Date): string {
    return new Date(
      Math.min(now.getTime() + this.config.LESSON_PENDING_TTL_MINUTES * 60_000, start.getTime()),
    ).toISOString();
  }

  /** Precise reasons a start cannot be booked; the transaction remains the real guard against races. */
  private async assertBookable(
    teacher: TeacherScheduling,
    start: Date,
    durationMinutes: number,
    now: Date,
    field: string,
    ownLocks: string[] = [],
    bufferMinutes = teacher.policies.bufferMinutes,
  ): Promise<void> {
    const problem = await this.slotProblem(teacher, start, durationMinutes, now, ownLocks, bufferMinutes);
    if (problem?.kind === 'input') throw ValidationFailedError.field(field, problem.message);
    if (problem)
      throw new SlotUnavailableError(problem.message, [slotConflict(start, teacher.timeZone, problem.reason)]);
  }

  /**
   * Why a start cannot be booked: malformed input (never bookable: BAD_USER_INPUT), or a reason the
   * slot is not available now (SLOT_UNAVAILABLE with that reason).
   */
  private async slotProblem(
    teacher: TeacherScheduling,
    start: Date,
    durationMinutes: number,
    now: Date,
    ownLocks: string[] = [],
    bufferMinutes = teacher.policies.bufferMinutes,
  ): Promise<SlotProblem | null> {
    const { minNoticeHours, maxAdvanceDays } = teacher.policies;
    const malformed = startInputProblem(start);
    if (malformed) return { kind: 'input', message: malformed };
    const unavailable = (reason: SlotConflictReason, message: string): SlotProblem => ({
      kind: 'slot',
      reason,
      message,
    });
    if (start <= now) return unavailable(SlotConflictReason.TOO_SOON, 'start is in the past');
    if (start.getTime() < now.getTime() + minNoticeHours * 3_600_000)
      return unavailable(SlotConflictReason.TOO_SOON, `lessons must be booked at least ${minNoticeHours} hours ahead`);
    if (start.getTime() > now.getTime() + maxAdvanceDays * 86_400_000)
      return unavailable(
        SlotConflictReason.TOO_FAR_AHEAD,
        `lessons can be booked at most ${maxAdvanceDays} days ahead`,
      );
    const probe = { from: start, to: new Date(start.getTime() + 1) };
    const offered = await this.availability.slots(teacher, probe.from, probe.to, durationMinutes, now, {
      ignoreTaken: true,
    });
    if (offered.length === 0)
      return unavailable(SlotConflictReason.OUTSIDE_AVAILABILITY, "start is not within the teacher's availability");
    const needed = granulesFor(start, offered[0].end, bufferMinutes);
    const taken = await this.lessons.lockedGranules(
      teacher.teacherId,
      new Date(needed[0]),
      new Date(new Date(needed[needed.length - 1]).getTime() + 1),
    );
    return needed.some((g) => taken.has(g) && !ownLocks.includes(g))
      ? unavailable(SlotConflictReason.TAKEN, 'That time is no longer available')
      : null;
  }

  /** A published teacher whose account is active (a suspension is refused at once, before search catches up). */
  private async bookableTeacher(teacherId: string): Promise<TeacherScheduling> {
    const [teacher, account] = await Promise.all([
      this.availability.bookableTeacher(teacherId),
      this.users.credentialsById(teacherId),
    ]);
    if (account?.user.status !== UserStatus.ACTIVE) throw new NotFoundError('Teacher', teacherId);
    return teacher;
  }

  /**
   * Writes a lesson change with its domain event (and the idempotency record, if any) in one
   * transaction, then tells the world: domain event listeners and the lessonUpdated subscription.
   */
  private async commit(
    before: Lesson | null,
    after: Lesson,
    action: LessonAction,
    remember?: Remember,
    creditId?: string,
  ): Promise<Lesson> {
    const change: LessonBillingChange = { action, before, after, ...(creditId ? { creditId } : {}) };
    const event = this.domainEvents.record(EVENT_OF_ACTION[action], lessonEventPayload(after));
    for (let attempt = 1; ; attempt++) {
      // The money side (a credit reserved, a charge recorded) is checked first and written with the lesson.
      const billing = await this.billing.plan(change);
      const parts = [...(remember ? [remember([after.id])] : []), ...billing, ...event.parts];
      try {
        if (before) await this.lessons.update(before, after, parts);
        else await this.lessons.create([after], parts);
        break;
      } catch (err) {
        // The payment moved in the background (the provider's side synced): plan it again. A change
        // of the lesson itself still fails on the lesson's own condition.
        if (this.billing.retryable(err) && attempt < BILLING_ATTEMPTS) continue;
        throw await this.writeError(err, before, after);
      }
    }
    this.domainEvents.publish(event);
    this.billing.committed(change);
    await this.subscriptions.published(after);
    return after;
  }

  /** A lost race as the client's error. */
  private async writeError(err: unknown, before: Lesson | null, attempted: Lesson): Promise<unknown> {
    if (!(err instanceof LessonWriteFailed)) return err;
    if (err.failure.kind === 'slot-taken')
      return new SlotUnavailableError('That time was just taken by another booking', [
        slotConflict(attempted.start, attempted.teacherTimeZone, SlotConflictReason.TAKEN),
      ]);
    const current = before ? await this.lessons.get(before.id) : null;
    return new ConflictError(`The lesson was changed meanwhile; it is now ${current?.status ?? 'gone'}`, {
      reason: 'CHANGED_CONCURRENTLY',
      currentStatus: current?.status,
    });
  }

  private seriesFrom(lesson: Lesson): Promise<Lesson[]> {
    return this.lessons.allFor('student', lesson.studentId, { from: lesson.start, seriesId: lesson.seriesId });
  }

  /**
   * Idempotency (IdempotencyService): a retried mutation with the same key returns the first
   * result. The record names the lessons and is written in the same transaction as the change.
   */
  private async idempotent(
    viewer: Viewer,
    operation: string,
    input: unknown,
    key: string | undefined,
    run: (remember?: Remember) => Promise<Lesson>,
  ): Promise<Lesson> {
    const [first] = await this.idempotentMany(viewer, operation, input, key, async (remember) => [await run(remember)]);
    return first;
  }

  private idempotentMany(
    viewer: Viewer,
    operation: string,
    input: unknown,
    key: string | undefined,
    run: (remember?: Remember) => Promise<Lesson[]>,
  ): Promise<Lesson[]> {
    return this.idempotency.run<Lesson[], { lessonIds: string[] }>(
      { caller: viewer.userId, key, operation, input },
      {
        execute: (remember) => run(remember && ((lessonIds) => remember({ lessonIds }))),
        replay: (result, stillStored) => this.lessonsOf(result.lessonIds, stillStored),
      },
    );
  }

  /** The lessons a first request produced; a series written in chunks may still be completing. */
  private async lessonsOf(ids: string[], stillStored: () => Promise<boolean>): Promise<Lesson[] | null> {
    for (let attempt = 0; ; attempt++) {
      const lessons = await Promise.all(ids.map((id) => this.lessons.get(id)));
      const found = lessons.filter((l): l is Lesson => l !== null);
      if (found.length === ids.length) return found;
      if (attempt >= 20) {
        throw new ConflictError('The first request with this idempotency key is still in progress; retry shortly', {
          reason: 'IDEMPOTENCY_KEY_IN_PROGRESS',
          field: 'idempotencyKey',
        });
      }
      await new Promise((r) => setTimeout(r, 100));
      if (!(await stillStored())) return null; // it was undone
    }
  }
}

/** What makes a start never bookable (BAD_USER_INPUT), whatever the teacher's calendar. */
function startInputProblem(start: Date): string | null {
  if (Number.isNaN(start.getTime())) return 'start is not a valid time';
  if (!isOnGrid(start)) return 'start must be on the 15-minute grid';
  return null;
}

type SlotProblem = { kind: 'input'; message: string } | { kind: 'slot'; reason: SlotConflictReason; message: string };

/** One start that cannot be booked, with its date in the teacher's zone. */
function slotConflict(start: Date | string, zone: string, reason: SlotConflictReason): SlotConflict {
  const instant = typeof start === 'string' ? new Date(start) : start;
  return {
    start: instant.toISOString(),
    localDate: DateTime.fromJSDate(instant, { zone }).toISODate()!,
    reason,
  };
}

const MAX_REASON = 500;

/**
 * Whether the teacher offers the requested length and format, and (for an offered format) the
 * place fits it: a STUDENT_HOME lesson needs the student's address, no other takes one.
 */
function offerProblems(teacher: TeacherScheduling, input: LessonRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const duration = offeringProblem(teacher, input.durationMinutes, 'input.durationMinutes');
  if (duration) problems.push(duration);
  if (!teacher.formats.includes(input.format)) {
    // The address depends on the format the client will pick instead: nothing to say about it yet.
    problems.push({
      field: 'input.format',
      message: `this teacher teaches ${teacher.formats.join(', ')}, not ${input.format}`,
    });
    return problems;
  }
  if (input.format === LessonFormat.STUDENT_HOME && !input.studentAddress)
    problems.push({ field: 'input.studentAddress', message: 'a STUDENT_HOME lesson needs your address' });
  if (input.format !== LessonFormat.STUDENT_HOME && input.studentAddress)
    problems.push({ field: 'input.studentAddress', message: `a ${input.format} lesson takes no address` });
  return problems;
}

function checkReason(reason: string | undefined): void {
  if (reason !== undefined && reason.length > MAX_REASON)
    throw ValidationFailedError.field('reason', `reason must be at most ${MAX_REASON} characters`);
}

/** Weekly starts at the same local wall time (so 16:00 stays 16:00 across DST), at most 26. */
export function seriesStarts(first: Date, zone: string, occurrences?: number, until?: string): Date[] {
  if ((occurrences === undefined) === (until === undefined)) {
    throw ValidationFailedError.field('input.occurrences', 'give either occurrences or until');
  }
  const start = DateTime.fromJSDate(first, { zone });
  let count = occurrences ?? 0;
  if (until !== undefined) {
    const last = DateTime.fromISO(until, { zone });
    if (!last.isValid) throw ValidationFailedError.field('input.until', 'until must be a date YYYY-MM-DD');
    const endOfLast = last.endOf('day');
    while (count < 27 && start.plus({ weeks: count }) <= endOfLast) count++;
  }
  if (count < 2)
    throw ValidationFailedError.field(
      until ? 'input.until' : 'input.occurrences',
      'a series has at least 2 occurrences',
    );
  if (count > 26)
    throw ValidationFailedError.field(
      until ? 'input.until' : 'input.occurrences',
      'a series has at most 26 occurrences',
    );
  return Array.from({ length: count }, (_, i) => start.plus({ weeks: i }).toJSDate());
}

/** Splits lessons into transactions of at most `maxItems` items (each lesson with its locks and event). */
function chunkByItems(
  lessons: Lesson[],
  events: RecordedEvent[],
  billing: TransactPart[][],
  maxItems: number,
): Lesson[][] {
  const chunks: Lesson[][] = [];
  let current: Lesson[] = [];
  let size = 0;
  for (const [i, lesson] of lessons.entries()) {
    const items = LessonsRepository.itemsToCreate(lesson) + events[i].parts.length + billing[i].length;
    if (size + items > maxItems && current.length) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(lesson);
    size += items;
  }
  if (current.length) chunks.push(current);
  return chunks;
}
