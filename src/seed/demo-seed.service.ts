import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ulid } from 'ulid';
import { canonicalTimeZone, Clock } from '@app/common';
import { PasswordService } from '../auth/password.service';
import { AvailabilityService } from '../bookings/availability/availability.service';
import { Weekday, WeeklyWindow } from '../bookings/availability/availability.types';
import { ResourceBootstrapService } from '../bootstrap/resource-bootstrap.service';
import { MediaUploadsService } from '../media/media-uploads.service';
import { MediaPurpose } from '../media/media.types';
import { AppConfig } from '../config/app-config';
import { TeachersService } from '../teachers/teachers.service';
import { DEFAULT_POLICIES, NO_PROFILE_MEDIA, TeacherProfile } from '../teachers/teacher.types';
import { Locale, normaliseEmail, Role, User, UserStatus } from '../users/user.types';
import { EmailTakenError, UsersService } from '../users/users.service';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount } from './demo-accounts';
import { demoPortrait } from './demo-photos';
import { DEMO_TEACHER_PROFILE, DEMO_TEACHERS, demoOfferings, DemoTeacher } from './demo-teachers';

export { demoLoginLines } from './demo-accounts';

export interface SeedOutcome {
  /** Accounts: the demo logins and the demo teachers. */
  created: number;
  alreadyPresent: number;
  teacherProfiles: { created: number; alreadyPresent: number };
  /** Profiles given a generated photo by this run (those without one). */
  photos: number;
}

/** Accounts written at once; moto serialises them anyway, so a few in flight suffice. */
const CONCURRENCY = 4;

/**
 * With SEED_DEMO_DATA=true, creates the demo accounts and the published demo teachers once the
 * table and indexes exist. Idempotent: an account whose e-mail is taken and a profile that exists
 * are left as they are (also when two servers seed at the same time: the e-mail item is written in
 * the same transaction as the user, and profiles are inserted only where none exists).
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeedService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly resources: ResourceBootstrapService,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly teachers: TeachersService,
    private readonly availability: AvailabilityService,
    private readonly media: MediaUploadsService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_DEMO_DATA) return;
    await this.seed();
  }

  async seed(): Promise<SeedOutcome> {
    await this.resources.ready;
    // argon2 is deliberately slow: hash the public demo password once (and only if an account is missing).
    let hashing: Promise<string> | undefined;
    const passwordHash = () => (hashing ??= this.passwords.hash(DEMO_PASSWORD));

    const accounts: DemoAccount[] = [
      ...DEMO_ACCOUNTS,
      ...DEMO_TEACHERS.map((t) => ({
        email: t.email,
        displayName: t.displayName,
        role: Role.TEACHER,
        timeZone: canonicalTimeZone(t.timeZone) ?? t.timeZone,
      })),
    ];
    const results = await inBatches(accounts, CONCURRENCY, (account) => this.ensureAccount(account, passwordHash));
    const created = results.filter((r) => r.created).length;
    const userOf = new Map(results.map((r) => [r.user.email, r.user]));

    const demoTeacher = DEMO_ACCOUNTS.find((a) => a.role === Role.TEACHER)!;
    const teachers: Array<[User, Omit<DemoTeacher, 'email' | 'displayName' | 'timeZone'>]> = [
      [userOf.get(normaliseEmail(demoTeacher.email))!, DEMO_TEACHER_PROFILE],
      ...DEMO_TEACHERS.map((t): [User, DemoTeacher] => [userOf.get(normaliseEmail(t.email))!, t]),
    ];
    const profiles = await this.teachers.seedProfiles(
      teachers.map(([user, t]) => demoProfile(user, t, this.clock.now())),
    );
    // Weekly hours so openSlots has answers from the first start; a teacher's own edits are kept.
    const withHours = await inBatches(teachers, CONCURRENCY, ([user], i) =>
      this.availability.seedWeekly(user.id, demoWeek(i)),
    );

    // A generated portrait on every profile without a photo, through the real media pipeline
    // (stored in the bucket, verified, derivatives made), so clients see real images at once.
    const needPhotos = await this.teachers.withoutPhoto(teachers.map(([user]) => user.id));
    const photographed = await inBatches(
      teachers.filter(([user]) => needPhotos.has(user.id)),
      2,
      async ([user]) => {
        const photo = await this.media.importFile(
          user.id,
          MediaPurpose.PROFILE_PHOTO,
          'image/jpeg',
          await demoPortrait(user.displayName),
          'portrait.jpg',
        );
        await this.teachers.setProfileMedia(user.id, { photoId: photo.id });
      },
    );

    this.logger.log(
      `demo data: ${created} account(s) created, ${accounts.length - created} already present; ` +
        `${profiles.created} teacher profile(s) created, ${profiles.alreadyPresent} already present; ` +
        `weekly hours set for ${withHours.filter(Boolean).length}; ${photographed.length} photo(s) generated`,
    );
    return {
      created,
      alreadyPresent: accounts.length - created,
      teacherProfiles: profiles,
      photos: photographed.length,
    };
  }

  /** The account with that e-mail, created with the demo password when missing. */
  private async ensureAccount(
    account: DemoAccount,
    passwordHash: () => Promise<string>,
  ): Promise<{ user: User; created: boolean }> {
    const email = normaliseEmail(account.email);
    const existing = await this.users.credentialsByEmail(email);
    if (existing) return { user: existing.user, created: false };
    const now = this.clock.now().toISOString();
    const user: User = {
      id: ulid(),
      email,
      displayName: account.displayName,
      // Written with its final roles in the same transaction, so a crash can never leave the
      // demo admin behind without ADMIN (the seed skips accounts that exist).
      roles: [account.role],
      timeZone: account.timeZone,
      locale: account.locale ?? Locale.EN,
      status: UserStatus.ACTIVE,
      // Demo accounts are verified: their addresses receive nothing.
      emailVerified: true,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.users.create(user, await passwordHash());
      return { user, created: true };
    } catch (err) {
      if (!(err instanceof EmailTakenError)) throw err;
      // Another server seeding at the same time won.
      const winner = await this.users.credentialsByEmail(email);
      if (!winner) throw err;
      return { user: winner.user, created: false };
    }
  }
}

function demoProfile(
  user: User,
  t: Omit<DemoTeacher, 'email' | 'displayName' | 'timeZone'>,
  now: Date,
): TeacherProfile {
  return {
    id: user.id,
    slug: t.slug,
    displayName: user.displayName,
    headline: t.headline,
    bio: `${t.headline}. Lessons in ${t.languages.map((l) => new Intl.DisplayNames(['en'], { type: 'language' }).of(l)).join(', ')}.`,
    instruments: t.instruments,
    genres: t.genres,
    languages: t.languages,
    formats: t.formats,
    location: t.location,
    timeZone: canonicalTimeZone(user.timeZone) ?? user.timeZone,
    offerings: demoOfferings(t),
    policies: DEFAULT_POLICIES,
    socialLinks: [],
    published: true,
    publishedAt: now,
    media: { ...NO_PROFILE_MEDIA },
    ratingAverage: 0,
    ratingCount: 0,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** Afternoons on weekdays plus a Saturday morning, or mornings for every third teacher (local times). */
function demoWeek(i: number): WeeklyWindow[] {
  const weekdays = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY];
  const hours = i % 3 === 2 ? { start: '09:00', end: '13:00' } : { start: '15:00', end: '20:00' };
  return [
    ...weekdays.map((weekday) => ({ weekday, ...hours })),
    { weekday: Weekday.SATURDAY, start: '10:00', end: '14:00' },
  ];
}

async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  return out;
}
