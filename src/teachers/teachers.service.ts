import { Injectable } from '@nestjs/common';
import { Clock, ConflictError, ForbiddenError, NotFoundError } from '@app/common';
import { DomainEvents, RecordedEvent } from '../events/domain-events.service';
import type { RequestLoaders } from '../graphql/request-loaders';
import { Role, UserStatus } from '../users/user.types';
import type { Viewer } from '../auth/viewer';
import { UsersService } from '../users/users.service';
import { UpsertTeacherProfileInput } from './dto/upsert-teacher-profile.input';
import { isVisible } from './teacher.presenter';
import { applyInput, missingForPublication } from './teacher-profile.rules';
import { TeacherProfilesRepository } from './teacher-profiles.repository';
import { NO_PROFILE_MEDIA, type ProfileMedia, type TeacherProfile } from './teacher.types';
import { ProfileExistsError, profileIncomplete, SlugTakenError, slugTaken } from './teachers.errors';

/** Optimistic retries when another write to the same profile lands between our read and write. */
const ATTEMPTS = 5;

/** The rules of teacher profiles: who may see and change them, and when they may be published. */
@Injectable()
export class TeachersService {
  constructor(
    private readonly profiles: TeacherProfilesRepository,
    private readonly users: UsersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** Any profile, visible or not (for callers that check visibility themselves, e.g. a lesson's participants). */
  find(loaders: RequestLoaders, id: string): Promise<TeacherProfile | null> {
    return loaders.teacherProfiles.load(id);
  }

  /** Demo data: inserts the profiles that do not exist yet (by id); returns how many were inserted. */
  seedProfiles(profiles: TeacherProfile[]) {
    return this.profiles.insertMissing(profiles);
  }

  /**
   * For the media feature, which checked the media (owner, purpose, state): replaces references of
   * the teacher's profile. NOT_FOUND without a profile.
   */
  async setProfileMedia(teacherId: string, changes: Partial<ProfileMedia>): Promise<TeacherProfile> {
    const profile = await this.profiles.setMedia(teacherId, changes, this.clock.now());
    if (!profile) throw new NotFoundError('Teacher profile', teacherId);
    return profile;
  }

  /** Of these teachers, the ids whose profile has no photo (demo data adds one). */
  async withoutPhoto(ids: string[]): Promise<Set<string>> {
    const profiles = await this.profiles.findByIds(ids);
    return new Set(profiles.filter((p) => p && !p.media.photoId).map((p) => p!.id));
  }

  /** A media is being deleted: the profile stops referring to it. */
  removeProfileMedia(teacherId: string, mediaId: string): Promise<void> {
    return this.profiles.removeMedia(teacherId, mediaId, this.clock.now());
  }

  /** The account is gone: the profile shows no media. */
  clearProfileMedia(teacherId: string): Promise<void> {
    return this.profiles.clearMedia(teacherId, this.clock.now());
  }

  /** Stores the rating aggregate the reviews feature computed from the visible reviews. */
  async setRating(teacherId: string, ratingSum: number, ratingCount: number): Promise<void> {
    await this.profiles.setRating(teacherId, ratingSum, ratingCount);
  }

  /**
   * After `user.renamed`: the profile shows the account's current name. Reads the account (the
   * source of truth) rather than trusting the event, so late or repeated deliveries are harmless.
   */
  async syncDisplayName(teacherId: string): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [account, profile] = await Promise.all([
        this.users.credentialsById(teacherId),
        this.profiles.findById(teacherId),
      ]);
      if (!account || !profile || profile.displayName === account.user.displayName) return;
      const updated = await this.profiles.replaceContent(
        teacherId,
        profile.revision,
        profile,
        account.user.displayName,
        this.clock.now(),
      );
      if (updated) return;
    }
    throw new ConflictError('The profile kept changing; the name will be synced on the next delivery', {
      reason: 'CHANGED_CONCURRENTLY',
    });
  }

  /**
   * After `account.suspended` / `account.reinstated`: a suspended teacher's profile leaves search
   * (unpublished) and reinstatement restores whether it was published. Reads the account's current
   * status, so deliveries in any order converge.
   */
  async syncAccountStatus(teacherId: string): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [account, profile] = await Promise.all([
        this.users.credentialsById(teacherId),
        this.profiles.findById(teacherId),
      ]);
      if (!account || !profile) return;
      const now = this.clock.now();
      if (account.user.status === UserStatus.DELETED) {
        if (!profile.published) return;
        const event = await this.events.recordAhead('profile.unpublished', { teacherId, reason: 'ACCOUNT_DELETED' });
        if (await this.settle(event, this.profiles.setPublished(teacherId, false, now, profile.revision))) return;
      } else if (account.user.status === UserStatus.SUSPENDED) {
        if (profile.suspended) return;
        const event = profile.published
          ? await this.events.recordAhead('profile.unpublished', { teacherId, reason: 'SUSPENSION' })
          : null;
        if (await this.settle(event, this.profiles.suspend(profile, now))) return;
      } else {
        if (!profile.suspended) return;
        const republish = (await this.profiles.publishedBeforeSuspension(teacherId)) ?? false;
        const event = republish ? await this.events.recordAhead('profile.published', { teacherId }) : null;
        if (await this.settle(event, this.profiles.reinstate(profile, republish, now))) return;
      }
    }
    throw new ConflictError('The profile kept changing; the suspension will be applied on the next delivery', {
      reason: 'CHANGED_CONCURRENTLY',
    });
  }

  /**
   * Publication changes are domain events on a MongoDB change: recorded ahead of the write, then
   * published if the write happened or discarded if it did not. Returns whether it happened.
   */
  private async settle<T>(event: RecordedEvent | null, write: Promise<T>): Promise<T> {
    let done: T;
    try {
      done = await write;
    } catch (err) {
      if (event) await this.events.discard(event);
      throw err;
    }
    if (event) {
      if (done) this.events.publish(event);
      else await this.events.discard(event);
    }
    return done;
  }

  /** A profile the viewer may see, or null: a missing profile and someone else's unpublished one look alike. */
  async visibleById(
    loaders: RequestLoaders,
    id: string,
    viewer: Viewer | null | undefined,
  ): Promise<TeacherProfile | null> {
    const profile = await loaders.teacherProfiles.load(id);
    return profile && isVisible(profile, viewer) ? profile : null;
  }

  async visibleBySlug(
    loaders: RequestLoaders,
    slug: string,
    viewer: Viewer | null | undefined,
  ): Promise<TeacherProfile | null> {
    const normalised = slug.trim().toLowerCase();
    const profile =
      normalised.length > 0 && normalised.length <= 100 ? await this.profiles.findBySlug(normalised) : null;
    if (!profile || !isVisible(profile, viewer)) return null;
    loaders.teacherProfiles.prime(profile.id, profile);
    return profile;
  }

  /**
   * Creates or edits the viewer's profile. The display name is copied from the user record; the
   * slug is unique by index (a taken one is CONFLICT on input.slug, also under a race); a
   * published profile must stay complete.
   */
  async upsertMine(loaders: RequestLoaders, viewer: Viewer, input: UpsertTeacherProfileInput): Promise<TeacherProfile> {
    requireTeacher(viewer);
    const user = await this.users.find(loaders, viewer.userId);
    if (!user) throw new NotFoundError('User', viewer.userId);
    if (!user.roles.includes(Role.TEACHER)) throw new ForbiddenError('Only teachers have a teacher profile');

    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.profiles.findById(viewer.userId);
      const content = applyInput(current, input, user.timeZone);
      if (current?.published) {
        const missing = missingForPublication(content);
        if (missing.length) throw profileIncomplete(missing, true);
      }
      const now = this.clock.now();
      try {
        if (!current) {
          return await this.profiles.insert({
            ...content,
            id: viewer.userId,
            displayName: user.displayName,
            published: false,
            publishedAt: null,
            media: { ...NO_PROFILE_MEDIA },
            ratingAverage: 0,
            ratingCount: 0,
            revision: 1,
            createdAt: now,
            updatedAt: now,
          });
        }
        const updated = await this.profiles.replaceContent(
          viewer.userId,
          current.revision,
          content,
          user.displayName,
          now,
        );
        if (updated) return updated;
      } catch (err) {
        if (err instanceof SlugTakenError) throw slugTaken(content.slug);
        if (!(err instanceof ProfileExistsError)) throw err;
      }
    }
    throw new ConflictError('The profile was changed concurrently; try again', { reason: 'CHANGED_CONCURRENTLY' });
  }

  /** Publishes the viewer's complete profile (idempotent); CONFLICT naming what is missing otherwise. */
  async publishMine(viewer: Viewer): Promise<TeacherProfile> {
    requireTeacher(viewer);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.profiles.findById(viewer.userId);
      if (!current) throw new NotFoundError('Teacher profile', viewer.userId);
      if (current.published) return current;
      const missing = missingForPublication(current);
      if (missing.length) throw profileIncomplete(missing, false);
      const event = await this.events.recordAhead('profile.published', { teacherId: viewer.userId });
      const published = await this.settle(
        event,
        this.profiles.setPublished(viewer.userId, true, this.clock.now(), current.revision),
      );
      if (published) return published;
    }
    throw new ConflictError('The profile was changed concurrently; try again', { reason: 'CHANGED_CONCURRENTLY' });
  }

  async unpublishMine(viewer: Viewer): Promise<TeacherProfile> {
    requireTeacher(viewer);
    return this.unpublish(viewer.userId, 'TEACHER');
  }

  /** Hides a profile from everyone but its teacher and admins (idempotent). */
  async unpublish(id: string, by: 'TEACHER' | 'ADMIN'): Promise<TeacherProfile> {
    const current = await this.profiles.findById(id);
    if (!current) throw new NotFoundError('Teacher profile', id);
    if (!current.published) return current;
    const event = await this.events.recordAhead('profile.unpublished', { teacherId: id, reason: by });
    const updated = await this.settle(event, this.profiles.setPublished(id, false, this.clock.now()));
    if (!updated) throw new NotFoundError('Teacher profile', id);
    return updated;
  }
}

function requireTeacher(viewer: Viewer): void {
  if (!viewer.roles.includes(Role.TEACHER)) throw new ForbiddenError('Only teachers have a teacher profile');
}
