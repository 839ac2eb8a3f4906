/**
 * Data of the overhead benchmark, written through the project's own services and repositories
 * (the stores see exactly what the production code writes): students, one teacher with a long
 * list of lessons, and a catalogue of published teachers with reviews by those students.
 */
import type { INestApplication } from '@nestjs/common';
import { ulid } from 'ulid';
import { AuthService } from '../../src/auth/auth.service';
import { PasswordService } from '../../src/auth/password.service';
import { AvailabilityRepository } from '../../src/bookings/availability/availability.repository';
import { Weekday } from '../../src/bookings/availability/availability.types';
import { LessonsService } from '../../src/bookings/lessons.service';
import { MessagesService } from '../../src/chat/messages.service';
import { OutboxRelay } from '../../src/events/outbox-relay.service';
import { LoaderFactory } from '../../src/graphql/request-loaders';
import { JobScheduler } from '../../src/jobs/job-scheduler.service';
import { ReviewsRepository } from '../../src/reviews/reviews.repository';
import { ReviewsService } from '../../src/reviews/reviews.service';
import { TeacherProfilesRepository } from '../../src/teachers/teacher-profiles.repository';
import { LessonFormat } from '../../src/teachers/teacher-scheduling';
import { NO_PROFILE_MEDIA, SkillLevel, TeacherProfile } from '../../src/teachers/teacher.types';
import { Locale, Role, User, UserStatus } from '../../src/users/user.types';
import { UsersRepository } from '../../src/users/users.repository';

export interface SeedSizes {
  students: number;
  /** Lessons of the one teacher who calls myLessons. */
  lessons: number;
  /** Published teachers besides that one, each with `reviewsPerTeacher` reviews. */
  teachers: number;
  reviewsPerTeacher: number;
}

export interface Seeded {
  teacherId: string;
  teacherEmail: string;
  /** Access token of the teacher (me, myLessons). */
  accessToken: string;
}

const CITIES = [
  { city: 'Berlin', region: null, country: 'DE', latitude: 52.520008, longitude: 13.404954 },
  { city: 'Lisbon', region: null, country: 'PT', latitude: 38.722252, longitude: -9.139337 },
  { city: 'Austin', region: 'Texas', country: 'US', latitude: 30.267153, longitude: -97.743061 },
  { city: 'Osaka', region: null, country: 'JP', latitude: 34.693737, longitude: 135.502167 },
  { city: 'São Paulo', region: 'SP', country: 'BR', latitude: -23.55052, longitude: -46.633308 },
];
const INSTRUMENTS = ['Piano', 'Guitar', 'Violin', 'Drums', 'Voice', 'Cello', 'Saxophone'];
const PASSWORD = 'benchmark-password-123';

/** A fresh access token for the seeded teacher (a new login), for a run on data seeded earlier. */
export async function logInAgain(app: INestApplication, email: string): Promise<string> {
  return (await app.get(AuthService).logIn({ email, password: PASSWORD }, '127.0.0.1')).accessToken;
}

export async function seed(app: INestApplication, sizes: SeedSizes): Promise<Seeded> {
  const users = app.get(UsersRepository);
  const passwordHash = await app.get(PasswordService).hash(PASSWORD);
  const students = await inBatches(range(sizes.students), 4, async (i) => {
    const now = new Date().toISOString();
    const user: User = {
      id: ulid(),
      email: `bench-student-${i}-${ulid().toLowerCase()}@example.test`,
      displayName: `Student ${String(i + 1).padStart(3, '0')} Example`,
      roles: [Role.STUDENT],
      timeZone: 'Europe/Berlin',
      locale: Locale.EN,
      emailVerified: true,
      status: UserStatus.ACTIVE,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    await users.create(user, passwordHash);
    return user;
  });

  const teacherEmail = `bench-teacher-${ulid().toLowerCase()}@example.test`;
  const session = await app.get(AuthService).signUp(
    {
      email: teacherEmail,
      password: PASSWORD,
      displayName: 'Clara Benchmark',
      timeZone: 'America/New_York',
      role: 'TEACHER',
    } as never,
    '127.0.0.1',
  );
  const teacherId = session.user.id;
  const profiles = app.get(TeacherProfilesRepository);
  await profiles.insertMissing([profile(teacherId, 'Clara Benchmark', 0)]);
  await app.get(AvailabilityRepository).putWeekly(
    teacherId,
    [1, 2, 3, 4, 5, 6, 7].map((weekday: Weekday) => ({ weekday, start: '00:00', end: '24:00' })),
    new Date(),
  );

  // Hourly lessons from tomorrow on, each with one of the students, requested as a student would.
  const lessons = app.get(LessonsService);
  const firstStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 2);
  await inBatches(range(sizes.lessons), 4, async (i) => {
    const student = students[i % students.length];
    await lessons.request(
      { userId: student.id, roles: student.roles, sessionId: 'bench-seed' },
      {
        teacherId,
        start: new Date(firstStart + i * 3_600_000),
        durationMinutes: 30,
        format: LessonFormat.ONLINE,
      },
    );
  });

  // Each student writes to the teacher (a conversation each: the Conversations page), and the
  // lesson cards the requests posted through the outbox are delivered before the servers start,
  // so nothing changes the conversations while both servers are measured.
  const messages = app.get(MessagesService);
  const loaders = app.get(LoaderFactory);
  await inBatches(students, 4, async (student, i) => {
    await messages.send(
      loaders.create(),
      { userId: student.id, roles: student.roles, sessionId: 'bench-seed', emailVerified: true },
      { toUserId: teacherId, clientMessageId: `bench-hello-${i}`, text: `Hello from ${student.displayName}!` },
    );
  });
  for (let round = 0; round < 10; round++) {
    await app.get(OutboxRelay).idle();
    await app.get(JobScheduler).idle();
  }

  // The catalogue: published profiles, each reviewed by a few of the students.
  const catalogue = range(sizes.teachers).map((i) =>
    profile(ulid(), `Teacher ${String(i + 1).padStart(3, '0')}`, i + 1),
  );
  await profiles.insertMissing(catalogue);
  const reviews = app.get(ReviewsRepository);
  const start = Date.now() - 365 * 86_400_000;
  await inBatches(catalogue, 4, async (teacher, t) => {
    for (let r = 0; r < sizes.reviewsPerTeacher; r++) {
      const rating = 1 + ((t * 7 + r * 3) % 5);
      await reviews.insert({
        _id: ulid(),
        lessonId: ulid(),
        teacherId: teacher.id,
        studentId: students[(t + r) % students.length].id,
        rating,
        text: `Lesson ${r + 1}: clear explanations, patient with mistakes, and a plan for the next weeks. ${'★'.repeat(rating)}`,
        reply: null,
        hidden: false,
        hiddenReason: null,
        createdAt: new Date(start + (t * sizes.reviewsPerTeacher + r) * 3_600_000),
      });
    }
    await app.get(ReviewsService).recomputeRating(teacher.id);
  });
  return { teacherId, teacherEmail, accessToken: session.accessToken };
}

function profile(id: string, displayName: string, i: number): TeacherProfile {
  const now = new Date();
  const instrument = INSTRUMENTS[i % INSTRUMENTS.length];
  return {
    id,
    slug: `bench-${id.toLowerCase()}`,
    displayName,
    headline: `${instrument} lessons for every level, online and in person`,
    bio: `${instrument} teacher with a conservatory degree and fifteen years on stage.`,
    instruments: [{ name: instrument, levels: [SkillLevel.BEGINNER, SkillLevel.INTERMEDIATE, SkillLevel.ADVANCED] }],
    genres: ['Classical', 'Jazz'],
    languages: ['en', 'de'],
    formats: [LessonFormat.ONLINE, LessonFormat.TEACHER_STUDIO],
    location: CITIES[i % CITIES.length],
    timeZone: 'UTC',
    offerings: [
      { durationMinutes: 30, priceMinor: 2500 + i * 10, currency: 'EUR' },
      { durationMinutes: 60, priceMinor: 4500 + i * 10, currency: 'EUR' },
    ],
    policies: {
      minNoticeHours: 0,
      maxAdvanceDays: 365,
      bufferMinutes: 0,
      cancellationNoticeHours: 24,
      lateCancellationFeePercent: 0,
    },
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

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  return out;
}
