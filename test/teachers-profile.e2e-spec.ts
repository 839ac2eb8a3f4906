import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { createAccount, startTestApp, TestAccount, TestApp } from '@app/testing';
import { TeacherProfileDocument, TEACHER_PROFILE_MODEL } from '../src/teachers/teacher-profile.schema';
import { TeacherProfilesRepository } from '../src/teachers/teacher-profiles.repository';
import { LessonFormat, TeacherSchedulingSource } from '../src/teachers/teacher-scheduling';
import {
  completeProfile,
  errorFields,
  mapLimit,
  PUBLISH,
  TEACHER,
  TEACHER_BY_SLUG,
  teacherWithProfile,
  uniqueSlug,
  UNPUBLISH,
  UPSERT,
} from './teachers-support';

describe('teacher profiles', () => {
  let t: TestApp;
  let admin: TestAccount;
  let student: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', AUTH_RATE_LIMIT_PER_ACCOUNT: '1000' } });
    [admin, student] = await Promise.all([createAccount(t, 'ADMIN'), createAccount(t, 'STUDENT')]);
  });
  afterAll(async () => t?.close());

  describe('create and edit', () => {
    it('creates an unpublished profile with the display name from the user and its time zone by default', async () => {
      const teacher = await createAccount(t, 'TEACHER', { displayName: 'Anna Bächler', timeZone: 'Europe/Vienna' });
      const input = completeProfile();
      const { upsertMyTeacherProfile: p } = await teacher.gql.ok(UPSERT, { input });
      expect(p).toMatchObject({
        id: teacher.id,
        slug: input.slug,
        displayName: 'Anna Bächler',
        headline: 'Classical piano for adults',
        instruments: [{ name: 'Piano', levels: ['BEGINNER', 'INTERMEDIATE'] }],
        genres: ['Classical'],
        languages: ['en', 'de'],
        formats: ['ONLINE', 'TEACHER_STUDIO'],
        // The owner sees the exact position.
        location: {
          city: 'Berlin',
          region: 'Berlin',
          country: 'DE',
          latitude: 52.516275,
          longitude: 13.377704,
          approximate: false,
        },
        timeZone: 'Europe/Vienna',
        // Shortest first.
        offerings: [
          { durationMinutes: 30, amountMinor: 2800, currency: 'EUR' },
          { durationMinutes: 60, amountMinor: 5000, currency: 'EUR' },
        ],
        policies: {
          minNoticeHours: 12,
          maxAdvanceDays: 60,
          bufferMinutes: 15,
          cancellationNoticeHours: 24,
          lateCancellationFeePercent: 50,
        },
        published: false,
        publishedAt: null,
        mediaIds: [],
        ratingAverage: 0,
        ratingCount: 0,
        distanceKm: null,
      });
    });

    it('edits only the given fields; lists replace lists; null clears location, headline and bio; defaults fill policies', async () => {
      const teacher = await createAccount(t, 'TEACHER');
      const slug = uniqueSlug();
      await teacher.gql.ok(UPSERT, { input: { slug, instruments: [{ name: 'Cello', levels: ['ADVANCED'] }] } });
      const { upsertMyTeacherProfile: first } = await teacher.gql.ok(UPSERT, {
        input: { genres: ['Baroque', 'baroque', 'Jazz'], policies: { bufferMinutes: 10 } },
      });
      expect(first).toMatchObject({
        slug,
        instruments: [{ name: 'Cello', levels: ['ADVANCED'] }],
        genres: ['Baroque', 'Jazz'],
        timeZone: 'Europe/Berlin',
        policies: {
          minNoticeHours: 24,
          maxAdvanceDays: 90,
          bufferMinutes: 10,
          cancellationNoticeHours: 24,
          lateCancellationFeePercent: 0,
        },
        location: null,
        headline: null,
      });
      await teacher.gql.ok(UPSERT, {
        input: {
          headline: 'Cello',
          bio: 'Bio',
          location: { city: 'Wien', country: 'at', latitude: 48.2082, longitude: 16.3738 },
        },
      });
      const { upsertMyTeacherProfile: cleared } = await teacher.gql.ok(UPSERT, {
        input: { headline: null, bio: null, location: null, slug: slug.toUpperCase() },
      });
      expect(cleared).toMatchObject({ slug, headline: null, bio: null, location: null, genres: ['Baroque', 'Jazz'] });
      expect(new Date(cleared.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(cleared.createdAt).getTime());
    });

    it('requires a slug to create a profile', async () => {
      const teacher = await createAccount(t, 'TEACHER');
      const res = await teacher.gql.request(UPSERT, { input: { headline: 'No slug' } });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(errorFields(res)).toEqual(['input.slug']);
    });

    it('lets only teachers have a profile', async () => {
      for (const caller of [student, admin]) {
        const res = await caller.gql.request(UPSERT, { input: completeProfile() });
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    });
  });

  describe('slugs', () => {
    it('refuses a taken slug with CONFLICT on input.slug, on create and on edit', async () => {
      const owner = await teacherWithProfile(t, completeProfile(), { publish: false });
      const other = await createAccount(t, 'TEACHER');
      const res = await other.gql.request(UPSERT, { input: completeProfile({ slug: owner.profile.slug }) });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.slug' });

      await other.gql.ok(UPSERT, { input: completeProfile() });
      const edit = await other.gql.request(UPSERT, { input: { slug: owner.profile.slug } });
      expect(edit.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.slug' });
    });

    it('is race-safe: of concurrent claims of one slug exactly one wins', async () => {
      const teachers = await mapLimit([1, 2, 3, 4, 5, 6], 3, () => createAccount(t, 'TEACHER'));
      const slug = uniqueSlug('race');
      const results = await Promise.all(
        teachers.map((a) => a.gql.request(UPSERT, { input: completeProfile({ slug }) })),
      );
      const winners = results.filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      for (const loser of results.filter((r) => r.errors))
        expect(loser.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.slug' });
      const { teacherBySlug } = await admin.gql.ok(TEACHER_BY_SLUG, { slug });
      expect(teacherBySlug.id).toBe(winners[0].data!.upsertMyTeacherProfile.id);
    });

    it('is looked up case-insensitively', async () => {
      const owner = await teacherWithProfile(t);
      const { teacherBySlug } = await t.gql.ok(TEACHER_BY_SLUG, { slug: owner.profile.slug.toUpperCase() });
      expect(teacherBySlug.id).toBe(owner.id);
    });
  });

  describe('publication and visibility', () => {
    it('refuses to publish an incomplete profile, naming what is missing', async () => {
      const teacher = await createAccount(t, 'TEACHER');
      await teacher.gql.ok(UPSERT, { input: { slug: uniqueSlug() } });
      let res = await teacher.gql.request(PUBLISH);
      expect(res.errors?.[0].extensions).toMatchObject({
        code: 'CONFLICT',
        missing: ['instruments', 'offerings', 'formats'],
      });

      await teacher.gql.ok(UPSERT, {
        input: {
          instruments: [{ name: 'Oud', levels: ['BEGINNER'] }],
          formats: ['STUDENT_HOME'],
          offerings: [{ durationMinutes: 45, amountMinor: 3000, currency: 'TRY' }],
        },
      });
      res = await teacher.gql.request(PUBLISH);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', missing: ['location'] });
      expect(res.errors?.[0].message).toContain('location');

      // Online only needs no location.
      await teacher.gql.ok(UPSERT, { input: { formats: ['ONLINE'] } });
      const { publishMyTeacherProfile } = await teacher.gql.ok(PUBLISH);
      expect(publishMyTeacherProfile).toMatchObject({ published: true, publishedAt: expect.any(String) });
    });

    it('publishing without a profile is NOT_FOUND', async () => {
      const teacher = await createAccount(t, 'TEACHER');
      expect((await teacher.gql.request(PUBLISH)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('shows an unpublished profile to its teacher and admins only; everyone else gets null', async () => {
      const owner = await teacherWithProfile(t, completeProfile(), { publish: false });
      const stranger = await createAccount(t, 'TEACHER');
      for (const client of [t.gql, student.gql, stranger.gql]) {
        for (const [query, variables] of [
          [TEACHER, { id: owner.id }],
          [TEACHER_BY_SLUG, { slug: owner.profile.slug }],
        ] as const) {
          const res = await client.request(query, variables);
          expect(res.errors).toBeUndefined();
          expect(Object.values(res.data!)).toEqual([null]);
        }
      }
      expect((await owner.gql.ok(TEACHER, { id: owner.id })).teacher).toMatchObject({ id: owner.id, published: false });
      expect((await admin.gql.ok(TEACHER_BY_SLUG, { slug: owner.profile.slug })).teacherBySlug).toMatchObject({
        id: owner.id,
        published: false,
      });
    });

    it('shows a published profile to everyone with the position rounded to about 1 km; exact for the teacher and admins', async () => {
      const owner = await teacherWithProfile(t, completeProfile(), { displayName: 'Clara Public' });
      const anonymous = (await t.gql.ok(TEACHER, { id: owner.id })).teacher;
      expect(anonymous.location).toEqual({
        city: 'Berlin',
        region: 'Berlin',
        country: 'DE',
        latitude: 52.52,
        longitude: 13.38,
        approximate: true,
      });
      expect(anonymous.user).toEqual({ id: owner.id, displayName: 'Clara Public' });
      expect((await student.gql.ok(TEACHER, { id: owner.id })).teacher.location).toMatchObject({
        latitude: 52.52,
        longitude: 13.38,
        approximate: true,
      });
      for (const privileged of [owner, admin]) {
        expect((await privileged.gql.ok(TEACHER, { id: owner.id })).teacher.location).toMatchObject({
          latitude: 52.516275,
          longitude: 13.377704,
          approximate: false,
        });
      }
    });

    it('keeps a published profile complete: an edit that removes what publication needs is CONFLICT', async () => {
      const owner = await teacherWithProfile(t);
      const res = await owner.gql.request(UPSERT, { input: { offerings: [], location: null } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', missing: ['offerings', 'location'] });
      expect((await t.gql.ok(TEACHER, { id: owner.id })).teacher.offerings).toHaveLength(2);
    });

    it('unpublishes (the teacher, or an admin for any profile), idempotently', async () => {
      const owner = await teacherWithProfile(t);
      const { unpublishMyTeacherProfile } = await owner.gql.ok(UNPUBLISH);
      expect(unpublishMyTeacherProfile).toMatchObject({ published: false, publishedAt: null });
      expect((await owner.gql.ok(UNPUBLISH)).unpublishMyTeacherProfile.published).toBe(false);
      expect((await t.gql.ok(TEACHER, { id: owner.id })).teacher).toBeNull();

      await owner.gql.ok(PUBLISH);
      const byAdmin = `mutation($id: ID!) { unpublishTeacherProfile(id: $id) { id published } }`;
      expect((await admin.gql.ok(byAdmin, { id: owner.id })).unpublishTeacherProfile).toEqual({
        id: owner.id,
        published: false,
      });
      expect((await t.gql.ok(TEACHER, { id: owner.id })).teacher).toBeNull();
      expect((await admin.gql.request(byAdmin, { id: 'no-such-teacher' })).errors?.[0].extensions?.code).toBe(
        'NOT_FOUND',
      );
    });
  });

  describe('bad input', () => {
    let teacher: TestAccount;
    beforeAll(async () => {
      teacher = await createAccount(t, 'TEACHER');
    });

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a slug with spaces', { slug: 'anna bachler' }, 'input.slug'],
      ['a slug with a double hyphen', { slug: 'anna--b' }, 'input.slug'],
      ['a too short slug', { slug: 'ab' }, 'input.slug'],
      ['a reserved slug', { slug: 'admin' }, 'input.slug'],
      [
        'a negative price',
        { offerings: [{ durationMinutes: 60, amountMinor: -1, currency: 'EUR' }] },
        'input.offerings.0.amountMinor',
      ],
      [
        'a currency that is not ISO 4217',
        { offerings: [{ durationMinutes: 60, amountMinor: 100, currency: 'EURO' }] },
        'input.offerings.0.currency',
      ],
      [
        'an unknown currency code',
        { offerings: [{ durationMinutes: 60, amountMinor: 100, currency: 'XYZ' }] },
        'input.offerings.0.currency',
      ],
      [
        'a too short lesson',
        { offerings: [{ durationMinutes: 10, amountMinor: 100, currency: 'EUR' }] },
        'input.offerings.0.durationMinutes',
      ],
      [
        'a too long lesson',
        { offerings: [{ durationMinutes: 300, amountMinor: 100, currency: 'EUR' }] },
        'input.offerings.0.durationMinutes',
      ],
      [
        'one duration twice',
        {
          offerings: [
            { durationMinutes: 60, amountMinor: 100, currency: 'EUR' },
            { durationMinutes: 60, amountMinor: 200, currency: 'USD' },
          ],
        },
        'input.offerings.1.durationMinutes',
      ],
      [
        'a latitude above 90',
        { location: { city: 'X', country: 'DE', latitude: 90.5, longitude: 0 } },
        'input.location.latitude',
      ],
      [
        'a longitude below -180',
        { location: { city: 'X', country: 'DE', latitude: 0, longitude: -180.01 } },
        'input.location.longitude',
      ],
      [
        'an unknown country',
        { location: { city: 'X', country: 'XX', latitude: 0, longitude: 0 } },
        'input.location.country',
      ],
      ['an unknown language', { languages: ['en', 'xx'] }, 'input.languages'],
      [
        'a fee above 100 %',
        { policies: { lateCancellationFeePercent: 101 } },
        'input.policies.lateCancellationFeePercent',
      ],
      ['a bio over 2000 characters', { bio: 'a'.repeat(2001) }, 'input.bio'],
      ['a headline over 120 characters', { headline: 'h'.repeat(121) }, 'input.headline'],
      [
        'a link that is not http(s)',
        { socialLinks: [{ network: 'WEBSITE', url: 'ftp://example.com/x' }] },
        'input.socialLinks.0.url',
      ],
      [
        'a javascript: link',
        { socialLinks: [{ network: 'WEBSITE', url: 'javascript:alert(1)' }] },
        'input.socialLinks.0.url',
      ],
      [
        'a link with credentials',
        { socialLinks: [{ network: 'WEBSITE', url: 'https://user:pw@example.com' }] },
        'input.socialLinks.0.url',
      ],
      [
        'an INSTAGRAM link elsewhere',
        { socialLinks: [{ network: 'INSTAGRAM', url: 'https://instagram.com.evil.example/x' }] },
        'input.socialLinks.0.url',
      ],
      [
        'an instrument twice',
        {
          instruments: [
            { name: 'Piano', levels: ['BEGINNER'] },
            { name: 'piano ', levels: ['ADVANCED'] },
          ],
        },
        'input.instruments.1.name',
      ],
      ['an instrument without levels', { instruments: [{ name: 'Piano', levels: [] }] }, 'input.instruments.0.levels'],
    ];

    it.each(cases)('%s is BAD_USER_INPUT naming the field', async (_label, input, field) => {
      const res = await teacher.gql.request(UPSERT, { input: { slug: uniqueSlug(), ...input } });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(errorFields(res)).toContain(field);
    });

    it.each([
      ['an unknown level', { instruments: [{ name: 'Piano', levels: ['EXPERT'] }] }, 'EXPERT'],
      ['an unknown format', { formats: ['BY_PIGEON'] }, 'BY_PIGEON'],
      [
        'a non-integer price',
        { offerings: [{ durationMinutes: 60, amountMinor: 12.5, currency: 'EUR' }] },
        'amountMinor',
      ],
    ])('%s is BAD_USER_INPUT before the resolver runs', async (_label, input, mention) => {
      const res = await teacher.gql.request(UPSERT, { input: { slug: uniqueSlug(), ...input } });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toContain(mention);
    });

    it('accepts links on the network domain and its subdomains, and a currency in lower case', async () => {
      const { upsertMyTeacherProfile } = await teacher.gql.ok(UPSERT, {
        input: {
          slug: uniqueSlug(),
          socialLinks: [
            { network: 'YOUTUBE', url: 'https://youtu.be/abc' },
            { network: 'BANDCAMP', url: 'https://someband.bandcamp.com/' },
            { network: 'X', url: 'http://twitter.com/someone' },
          ],
          offerings: [{ durationMinutes: 60, amountMinor: 0, currency: 'jpy' }],
        },
      });
      expect(upsertMyTeacherProfile.socialLinks.map((l: { network: string }) => l.network)).toEqual([
        'YOUTUBE',
        'BANDCAMP',
        'X',
      ]);
      expect(upsertMyTeacherProfile.offerings).toEqual([{ durationMinutes: 60, amountMinor: 0, currency: 'JPY' }]);
    });
  });

  describe('loaders and contracts', () => {
    it('resolves many teacher(id) fields of one request with one MongoDB find; a missing one is null', async () => {
      const [a, b] = await Promise.all([teacherWithProfile(t), teacherWithProfile(t)]);
      const query = `query($a: ID!, $b: ID!) { b: teacher(id: $b) { id } a: teacher(id: $a) { id } a2: teacher(id: $a) { slug } }`;
      const before = await t.metrics.storeCallCount('mongodb');
      const res = await t.gql.ok(query, { a: a.id, b: b.id });
      expect(await t.metrics.storeCallCount('mongodb')).toBe(before + 1);
      expect(res).toEqual({ b: { id: b.id }, a: { id: a.id }, a2: { slug: a.profile.slug } });
      const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/dataloader_batch_size_sum\{loader="teacherProfiles"\} [1-9]/);

      // A miss nulls only its own field: the rest of the response stays (issue 8, item 13).
      const mixed = await t.gql.request(
        `query($a: ID!) { serverTime a: teacher(id: $a) { id } nope: teacher(id: "nope") { id } }`,
        {
          a: a.id,
        },
      );
      expect(mixed.errors).toBeUndefined();
      expect(mixed.data).toEqual({ serverTime: expect.any(String), a: { id: a.id }, nope: null });
    });

    it('gives bookings the scheduling view through TeacherSchedulingSource', async () => {
      const owner = await teacherWithProfile(t, completeProfile(), { timeZone: 'America/New_York' });
      const source = t.app.get(TeacherSchedulingSource);
      await expect(source.schedulingFor(owner.id)).resolves.toEqual({
        teacherId: owner.id,
        displayName: owner.profile.displayName,
        timeZone: 'America/New_York',
        published: true,
        formats: [LessonFormat.ONLINE, LessonFormat.TEACHER_STUDIO],
        offerings: [
          // The internal contract keeps the stored name; the API says amountMinor.
          { durationMinutes: 30, priceMinor: 2800, currency: 'EUR' },
          { durationMinutes: 60, priceMinor: 5000, currency: 'EUR' },
        ],
        policies: {
          minNoticeHours: 12,
          maxAdvanceDays: 60,
          bufferMinutes: 15,
          cancellationNoticeHours: 24,
          lateCancellationFeePercent: 50,
        },
      });
      await expect(source.schedulingFor('no-such-teacher')).resolves.toBeNull();
    });

    it('stores the rating aggregate with its average', async () => {
      const owner = await teacherWithProfile(t);
      const repo = t.app.get(TeacherProfilesRepository);
      await repo.setRating(owner.id, 39, 10);
      const stored = await t.app
        .get<Model<TeacherProfileDocument>>(getModelToken(TEACHER_PROFILE_MODEL))
        .findById(owner.id)
        .lean();
      expect(stored).toMatchObject({ ratingSum: 39, ratingCount: 10, ratingAverage: 3.9 });
      expect((await t.gql.ok(TEACHER, { id: owner.id })).teacher).toMatchObject({
        ratingAverage: 3.9,
        ratingCount: 10,
      });
      await repo.setRating(owner.id, 0, 0);
      expect((await t.gql.ok(TEACHER, { id: owner.id })).teacher).toMatchObject({ ratingAverage: 0, ratingCount: 0 });
    });

    it('inserts missing profiles for the seed, leaving existing ones and skipping a slug someone holds', async () => {
      const owner = await teacherWithProfile(t);
      const repo = t.app.get(TeacherProfilesRepository);
      const existing = (await repo.findById(owner.id))!;
      const fresh = (id: string, slug: string) => ({ ...existing, id, slug, headline: 'Seeded' });
      const a = uniqueSlug('seed');
      await expect(
        repo.insertMissing([
          fresh(`seed-a-${a}`, a),
          fresh(`seed-b-${a}`, owner.profile.slug),
          { ...existing, headline: 'Overwritten?' },
        ]),
      ).resolves.toEqual({
        created: 1,
        alreadyPresent: 2,
      });
      expect((await repo.findById(owner.id))!.headline).toBe(existing.headline);
      expect((await repo.findBySlug(a))!.id).toBe(`seed-a-${a}`);
      await expect(repo.insertMissing([fresh(`seed-a-${a}`, a)])).resolves.toEqual({ created: 0, alreadyPresent: 1 });
    });
  });
});
