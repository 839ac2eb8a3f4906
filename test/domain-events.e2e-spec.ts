import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startAnotherInstance,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';
import type { DomainEvent } from '../src/events/domain-events';
import { DomainEvents } from '../src/events/domain-events.service';
import { OutboxConsumers } from '../src/events/outbox-consumers';
import { OutboxRelay } from '../src/events/outbox-relay.service';
import { ReviewsRepository } from '../src/reviews/reviews.repository';
import { ReviewsService } from '../src/reviews/reviews.service';
import { UsersService } from '../src/users/users.service';

/** What the probe consumer saw, shared by every server instance of this file (they run in this process). */
const seen = {
  attempts: [] as string[],
  applied: new Map<string, number>(),
  failuresToGo: 0,
};

/** A durable consumer of renames that fails `failuresToGo` times before it applies the effect (once per event id). */
@Injectable()
class FlakyConsumer implements OnModuleInit {
  constructor(private readonly consumers: OutboxConsumers) {}

  onModuleInit(): void {
    this.consumers.register('test.flaky', ['user.renamed'], async (event: DomainEvent<'user.renamed'>) => {
      seen.attempts.push(event.id);
      if (seen.failuresToGo > 0) {
        seen.failuresToGo--;
        throw new Error('the probe consumer fails on purpose');
      }
      // Idempotent by event id, as every durable consumer must be.
      seen.applied.set(event.id, (seen.applied.get(event.id) ?? 0) + 1);
    });
  }
}

@Module({ providers: [FlakyConsumer] })
class FlakyConsumerModule {}

const SEARCH = `query($text: String) { searchTeachers(filter: { text: $text }, first: 50) { edges { node { id displayName } } } }`;
const RENAME = `mutation($name: String!) { updateMe(input: { displayName: $name }) { id displayName } }`;
const SUSPEND = `mutation($id: ID!) { suspendUser(id: $id) { id status } }`;
const REINSTATE = `mutation($id: ID!) { reinstateUser(id: $id) { id status } }`;
const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) => res.errors?.[0]?.extensions?.code;

describe('domain events and the outbox', () => {
  let t: TestApp;
  let admin: TestAccount;
  let student: TestAccount;
  const relay = () => t.app.get(OutboxRelay);
  const searchIds = async (text?: string) =>
    (await t.gql.ok(SEARCH, { text })).searchTeachers.edges.map((e: { node: { id: string } }) => e.node.id);

  beforeAll(async () => {
    // No background jobs: the test drives the relay, so what it asserts is what it caused.
    t = await startTestApp({
      imports: [FlakyConsumerModule],
      config: { JOBS_ENABLED: 'false', AUTH_RATE_LIMIT_PER_IP: '1000' },
    });
    admin = await createAccount(t, 'ADMIN');
    student = await createAccount(t, 'STUDENT');
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    seen.attempts = [];
    seen.applied.clear();
    seen.failuresToGo = 0;
  });

  it('a suspended teacher leaves search and cannot be booked; reinstating restores the published profile', async () => {
    const teacher = await createTeacher(t);
    const unpublished = await createTeacher(t);
    await unpublished.gql.ok('mutation { unpublishMyTeacherProfile { id } }');
    expect(await searchIds()).toContain(teacher.id);

    await admin.gql.ok(SUSPEND, { id: teacher.id });
    await admin.gql.ok(SUSPEND, { id: unpublished.id });
    // Refused at once, even before the profile consumer has run.
    const refused = await student.gql.request(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: hoursFromNow(48), durationMinutes: 60, format: 'ONLINE' },
    });
    expect(code(refused)).toBe('NOT_FOUND');
    await relay().idle();
    expect(await searchIds()).not.toContain(teacher.id);
    const hidden = await t.gql.request(`query($id: ID!) { teacher(id: $id) { id } }`, { id: teacher.id });
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data).toEqual({ teacher: null });

    await admin.gql.ok(REINSTATE, { id: teacher.id });
    await admin.gql.ok(REINSTATE, { id: unpublished.id });
    await relay().idle();
    const ids = await searchIds();
    expect(ids).toContain(teacher.id);
    // It was unpublished before the suspension: it stays unpublished.
    expect(ids).not.toContain(unpublished.id);
    const booked = await student.gql.ok(REQUEST_LESSON, {
      input: { teacherId: teacher.id, start: hoursFromNow(50), durationMinutes: 60, format: 'ONLINE' },
    });
    expect(booked.requestLesson.status).toBe('PENDING');
  });

  it('a rename shows on the profile and in search', async () => {
    const teacher = await createTeacher(t);
    await teacher.gql.ok(RENAME, { name: 'Zebedee Quarrington' });
    await relay().idle();
    expect(await searchIds('quarrington')).toEqual([teacher.id]);
    const shown = await t.gql.ok(`query($id: ID!) { teacher(id: $id) { displayName } }`, { id: teacher.id });
    expect(shown.teacher.displayName).toBe('Zebedee Quarrington');
  });

  it('delivers an effect whose consumer fails twice on the third try, exactly once', async () => {
    seen.failuresToGo = 2;
    const someone = await createAccount(t, 'STUDENT');
    await someone.gql.ok(RENAME, { name: 'Flaky Delivery' });
    await relay().idle(); // first attempt, right after the change: fails
    expect(seen.attempts).toHaveLength(1);
    expect(await relay().sweep()).toBe(0); // the retry waits for its backoff

    t.clock.advance(3_600_000);
    expect(await relay().sweep()).toBe(1); // second attempt: fails
    t.clock.advance(3_600_000);
    expect(await relay().sweep()).toBe(1); // third attempt: applies
    t.clock.advance(3_600_000);
    expect(await relay().sweep()).toBe(0); // nothing left
    expect(seen.attempts).toHaveLength(3);
    expect(new Set(seen.attempts).size).toBe(1);
    expect([...seen.applied.values()]).toEqual([1]);
  });

  it('an event committed while no relay ran is delivered by another instance after a restart', async () => {
    const someone = await createAccount(t, 'STUDENT');
    // The change and its event commit, and the server dies before publishing (no kick).
    const crashed = await startAnotherInstance(t, {
      imports: [FlakyConsumerModule],
      config: { JOBS_ENABLED: 'false' },
    });
    const events = crashed.app.get(DomainEvents);
    const renamed = events.record('user.renamed', { userId: someone.id, displayName: 'Committed Before Crash' });
    await crashed.app
      .get(UsersService)
      .update(someone.id, { displayName: 'Committed Before Crash' }, { also: renamed.parts });
    await crashed.close();
    expect(seen.attempts).toEqual([]);

    const restarted = await startAnotherInstance(t, {
      imports: [FlakyConsumerModule],
      config: { JOBS_ENABLED: 'false' },
    });
    try {
      expect(await restarted.app.get(OutboxRelay).sweep()).toBe(1);
      expect(seen.applied.get(renamed.event.id)).toBe(1);
    } finally {
      await restarted.close();
    }
  });

  it('two instances sweeping at once deliver an event once', async () => {
    seen.failuresToGo = 1;
    const someone = await createAccount(t, 'STUDENT');
    await someone.gql.ok(RENAME, { name: 'Raced Delivery' });
    await relay().idle();
    const other = await startAnotherInstance(t, { imports: [FlakyConsumerModule], config: { JOBS_ENABLED: 'false' } });
    try {
      t.clock.advance(3_600_000);
      other.clock.advance(t.clock.now().getTime() - other.clock.now().getTime());
      const swept = await Promise.all([relay().sweep(), other.app.get(OutboxRelay).sweep(), relay().sweep()]);
      expect(swept.reduce((a, b) => a + b, 0)).toBe(1);
      expect([...seen.applied.values()]).toEqual([1]);
    } finally {
      await other.close();
    }
  });

  it('the rating repair job recomputes a rating that a crash left uncounted', async () => {
    const teacher = await createTeacher(t);
    const rating = async () =>
      (await t.gql.ok(`query($id: ID!) { teacher(id: $id) { ratingAverage ratingCount } }`, { id: teacher.id }))
        .teacher;
    // A review stored without its event (the server died between the two writes).
    const review = (rating: number, id: string) => ({
      _id: id,
      lessonId: `lesson-${id}`,
      teacherId: teacher.id,
      studentId: student.id,
      rating,
      text: 'Stored before a crash',
      reply: null,
      hidden: false,
      hiddenReason: null,
      createdAt: t.clock.now(),
    });
    await t.app.get(ReviewsRepository).insert(review(5, `r1-${teacher.id}`));
    await t.app.get(ReviewsRepository).insert(review(2, `r2-${teacher.id}`));
    expect(await rating()).toEqual({ ratingAverage: 0, ratingCount: 0 });
    await t.app.get(ReviewsService).recomputeAllRatings();
    expect(await rating()).toEqual({ ratingAverage: 3.5, ratingCount: 2 });
  });
});
