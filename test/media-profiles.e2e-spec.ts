import sharp from 'sharp';
import { ulid } from 'ulid';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { createAccount, SIGN_UP, startTestApp, TEST_PASSWORD, TestAccount, TestApp } from '@app/testing';
import type { DomainEvent } from '../src/events/domain-events';
import { OutboxConsumers } from '../src/events/outbox-consumers';
import { OutboxRelay } from '../src/events/outbox-relay.service';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { MediaRepository } from '../src/media/media.repository';
import { ImageFormat, ImageSize, MediaKind, MediaPurpose, MediaStatus } from '../src/media/media.types';
import { TeachersService } from '../src/teachers/teachers.service';
import { DEFAULT_POLICIES, NO_PROFILE_MEDIA, SkillLevel, TeacherProfile } from '../src/teachers/teacher.types';
import { LessonFormat } from '../src/teachers/teacher-scheduling';
import {
  audioFile,
  bookLesson,
  bucketKeys,
  COMPLETE_UPLOAD,
  createUpload,
  DELETE_MEDIA,
  MEDIA,
  upload,
  USAGE,
  videoFile,
} from './media-support';
import { completeProfile, teacherWithProfile } from './teachers-support';

const TEACHER_MEDIA = `query T($id: ID!) { teacher(id: $id) {
  id mediaIds
  photo { id status url blurhash dominantColor variant(size: THUMB_128) { url width height } }
  gallery { id status }
  introVideo { id durationSeconds url }
  audioClips { id durationSeconds }
  user { id avatar { id variant(size: THUMB_512, format: JPEG) { url width } } }
} }`;

/**
 * Media on profiles and accounts, who may see private media, what a page of search results with
 * photos costs, and what deleting an account does to its media.
 */
describe('media: profiles, access, deletion', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      config: { JOBS_ENABLED: 'false', MEDIA_PRIVATE_URL_TTL_SECONDS: '300', AUTH_RATE_LIMIT_PER_IP: '1000' },
    });
  });
  afterAll(async () => t?.close());

  const runJobs = () => t.app.get(JobScheduler).runDueDelayed();
  const image = (w: number, h: number, color: string, format: 'jpeg' | 'png' = 'jpeg') => {
    const canvas = sharp({ create: { width: w, height: h, channels: 3, background: color } });
    return (format === 'png' ? canvas.png() : canvas.jpeg()).toBuffer();
  };
  /** Uploads and completes; returns the media id (images then wait for the derivatives job). */
  async function uploaded(who: TestAccount, purpose: string, type: string, bytes: Buffer): Promise<string> {
    const { res, media } = await upload(who.gql, purpose, type, bytes);
    expect(res.errors).toBeUndefined();
    return media!.id;
  }

  it('gives a teacher a photo, an ordered gallery, an intro video, sound clips and an avatar, public to everyone', async () => {
    const teacher = await teacherWithProfile(t);
    const photo = await uploaded(teacher, 'PROFILE_PHOTO', 'image/jpeg', await image(900, 600, '#aa3311'));
    const gallery = [
      await uploaded(teacher, 'PROFILE_PHOTO', 'image/png', await image(300, 300, '#113399', 'png')),
      await uploaded(teacher, 'PROFILE_PHOTO', 'image/jpeg', await image(400, 200, '#119933')),
    ];
    const video = await uploaded(teacher, 'PROFILE_VIDEO', 'video/mp4', videoFile(1));
    const clip = await uploaded(teacher, 'PROFILE_AUDIO', 'audio/mpeg', audioFile(2, 'mp3'));
    const avatar = await uploaded(teacher, 'AVATAR', 'image/png', await image(200, 200, '#777777', 'png'));

    await teacher.gql.ok('mutation($id: ID) { setMyTeacherPhoto(mediaId: $id) { id } }', { id: photo });
    await teacher.gql.ok('mutation($ids: [ID!]!) { setMyTeacherGallery(mediaIds: $ids) { id } }', {
      ids: [gallery[1], gallery[0]],
    });
    await teacher.gql.ok('mutation($id: ID) { setMyTeacherIntroVideo(mediaId: $id) { id } }', { id: video });
    await teacher.gql.ok('mutation($ids: [ID!]!) { setMyTeacherAudioClips(mediaIds: $ids) { id } }', { ids: [clip] });
    await teacher.gql.ok('mutation($id: ID) { setMyAvatar(mediaId: $id) { id } }', { id: avatar });

    // Before the derivatives exist, the public sees no image; the teacher sees them processing.
    const early = (await t.gql.ok(TEACHER_MEDIA, { id: teacher.id })).teacher;
    expect(early.photo).toBeNull();
    expect(early.gallery).toEqual([]);
    expect(early.introVideo).toMatchObject({ id: video, durationSeconds: expect.any(Number) });
    expect((await teacher.gql.ok(TEACHER_MEDIA, { id: teacher.id })).teacher.photo).toMatchObject({
      id: photo,
      status: 'PROCESSING',
      url: null,
    });

    expect(await runJobs()).toBe(4);
    const seen = (await t.gql.ok(TEACHER_MEDIA, { id: teacher.id })).teacher;
    expect(seen.photo).toMatchObject({ id: photo, status: 'READY', variant: { width: 128, height: 128 } });
    expect(seen.photo.dominantColor).toBe('#aa3311');
    expect(seen.gallery.map((m: any) => m.id)).toEqual([gallery[1], gallery[0]]);
    expect(seen.audioClips).toEqual([{ id: clip, durationSeconds: expect.any(Number) }]);
    expect(seen.user.avatar).toMatchObject({ id: avatar, variant: { width: 512 } });
    expect(seen.mediaIds).toEqual([photo, gallery[1], gallery[0], video, clip]);
    // Public URLs are stable within a day: the same on every read (cacheable by browsers and CDNs).
    const again = (await t.gql.ok(TEACHER_MEDIA, { id: teacher.id })).teacher;
    expect(again.photo.variant.url).toBe(seen.photo.variant.url);
    const thumb = await sharp(Buffer.from(await (await fetch(seen.photo.variant.url)).arrayBuffer())).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 128, 128]);
    // Without a CDN (MEDIA_PUBLIC_BASE_URL), public URLs are presigned GETs valid for days.
    const presigned = (
      await t.gql.ok('query($id: ID!) { teacher(id: $id) { photo { url urlExpiresAt } } }', { id: teacher.id })
    ).teacher.photo;
    expect(presigned.url).toMatch(/X-Amz-Signature=/);
    expect(Date.parse(presigned.urlExpiresAt)).toBeGreaterThan(t.clock.now().getTime() + 6 * 86_400_000);

    // Deleting a gallery photo takes it off the profile; the photo stays.
    await teacher.gql.ok(DELETE_MEDIA, { id: gallery[1] });
    expect((await t.gql.ok(TEACHER_MEDIA, { id: teacher.id })).teacher.gallery.map((m: any) => m.id)).toEqual([
      gallery[0],
    ]);
  });

  it('refuses media that are not the teacher’s own, of another purpose, not uploaded, or too many', async () => {
    const teacher = await teacherWithProfile(t);
    const other = await teacherWithProfile(t);
    const theirs = await uploaded(other, 'PROFILE_PHOTO', 'image/png', await image(50, 50, '#000000', 'png'));
    const avatar = await uploaded(teacher, 'AVATAR', 'image/png', await image(50, 50, '#000000', 'png'));
    const pending = (
      await createUpload(teacher.gql, { purpose: 'PROFILE_PHOTO', contentType: 'image/png', byteSize: 100 })
    ).media.id;
    const PHOTO = 'mutation($id: ID) { setMyTeacherPhoto(mediaId: $id) { id } }';
    expect((await teacher.gql.request(PHOTO, { id: theirs })).errors![0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Media',
    });
    expect((await teacher.gql.request(PHOTO, { id: avatar })).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'MEDIA_NOT_USABLE',
      field: 'mediaId',
    });
    expect((await teacher.gql.request(PHOTO, { id: pending })).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'MEDIA_NOT_USABLE',
      currentStatus: 'UPLOADING',
    });
    const GALLERY = 'mutation($ids: [ID!]!) { setMyTeacherGallery(mediaIds: $ids) { id } }';
    const tooMany = await teacher.gql.request(GALLERY, { ids: Array.from({ length: 13 }, () => ulid()) });
    expect(tooMany.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'mediaIds', message: 'at most 12 media' }],
    });
    // A student has no profile to put photos on.
    const student = await createAccount(t, 'STUDENT');
    expect((await student.gql.request(PHOTO, { id: null })).errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('gives a lesson recording only to the lesson’s teacher and student (and admins), through URLs that expire', async () => {
    const teacher = await createAccount(t, 'TEACHER');
    const student = await createAccount(t, 'STUDENT');
    const stranger = await createAccount(t, 'STUDENT');
    const admin = await createAccount(t, 'ADMIN');
    const lessonId = await bookLesson(teacher, student);
    const wav = audioFile(1, 'wav');
    const ticket = await createUpload(teacher.gql, {
      purpose: 'LESSON_RECORDING',
      contentType: 'audio/wav',
      byteSize: wav.length,
      lessonId,
    });
    const put = await fetch(ticket.multipart!.parts[0].url, { method: 'PUT', body: new Uint8Array(wav) });
    await teacher.gql.ok(COMPLETE_UPLOAD, {
      id: ticket.media.id,
      parts: [{ partNumber: 1, etag: put.headers.get('etag') }],
    });

    expect((await t.gql.ok(MEDIA, { id: ticket.media.id })).media).toBeNull();
    expect((await stranger.gql.ok(MEDIA, { id: ticket.media.id })).media).toBeNull();
    for (const who of [teacher, student, admin]) {
      const media = (await who.gql.ok(MEDIA, { id: ticket.media.id })).media;
      expect(media.url).toMatch(/^http/);
      expect(Buffer.from(await (await fetch(media.url)).arrayBuffer()).equals(wav)).toBe(true);
    }
    // The URL is signed now for 300 s: S3 refuses it after urlExpiresAt (moto does not check
    // expiry, so the signed parameters are what this asserts), and a later read gets a new one.
    const before = t.clock.now().getTime();
    const first = (await student.gql.ok(MEDIA, { id: ticket.media.id })).media;
    const url = new URL(first.url);
    expect(url.pathname).toMatch(/\/private\/[A-Za-z0-9_-]{22}\/original$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const signedAt = Date.parse(
      url.searchParams.get('X-Amz-Date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(Math.abs(signedAt - before)).toBeLessThan(5_000);
    expect(Date.parse(first.urlExpiresAt)).toBe(signedAt + 300_000);
    t.clock.advance(10 * 60_000);
    try {
      const later = (await student.gql.ok(MEDIA, { id: ticket.media.id })).media;
      expect(later.url).not.toBe(first.url);
      expect(Date.parse(later.urlExpiresAt)).toBeGreaterThan(Date.parse(first.urlExpiresAt) + 9 * 60_000);
    } finally {
      t.clock.reset();
    }
    // A chat attachment is its owner's (and admins') only, until the chat feature shares it.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const attachment = await uploaded(student, 'CHAT_ATTACHMENT', 'application/pdf', pdf);
    expect((await teacher.gql.ok(MEDIA, { id: attachment })).media).toBeNull();
    expect((await student.gql.ok(MEDIA, { id: attachment })).media.url).toMatch(/X-Amz-Expires=300/);
  });

  it('shows a page of 20 teachers with photos and galleries in the same few store calls as a page of 2', async () => {
    const instrument = `Theremin${ulid().slice(-6)}`;
    const now = new Date();
    const media = t.app.get(MediaRepository);
    const teachers = t.app.get(TeachersService);
    const profiles: TeacherProfile[] = [];
    for (let i = 0; i < 20; i++) {
      const id = ulid();
      const ids = [0, 1, 2, 3].map(() => ulid());
      for (const mediaId of ids) {
        await media.insert({
          id: mediaId,
          ownerId: id,
          purpose: MediaPurpose.PROFILE_PHOTO,
          kind: MediaKind.IMAGE,
          status: MediaStatus.READY,
          contentType: 'image/jpeg',
          byteSize: 1000,
          fileName: null,
          key: `private/${mediaId}/original`,
          public: true,
          context: {},
          multipart: null,
          uploadExpiresAt: now,
          width: 100,
          height: 100,
          durationSeconds: null,
          codec: null,
          blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
          dominantColor: '#336699',
          variants: [ImageSize.THUMB_128, ImageSize.THUMB_512, ImageSize.DISPLAY_1600].flatMap((size) =>
            [ImageFormat.WEBP, ImageFormat.JPEG].map((format) => ({
              size,
              format,
              key: `public/${mediaId}/${size}.${format}`,
              width: 1,
              height: 1,
              byteSize: 1,
            })),
          ),
          rejection: null,
          createdAt: now,
          updatedAt: now,
          completedAt: now,
        });
      }
      profiles.push({
        id,
        slug: `media-${id.toLowerCase()}`,
        displayName: `Teacher ${i}`,
        headline: null,
        bio: null,
        instruments: [{ name: instrument, levels: [SkillLevel.BEGINNER] }],
        genres: [],
        languages: ['en'],
        formats: [LessonFormat.ONLINE],
        location: null,
        timeZone: 'UTC',
        offerings: [{ durationMinutes: 60, priceMinor: 1000, currency: 'EUR' }],
        policies: DEFAULT_POLICIES,
        socialLinks: [],
        published: true,
        publishedAt: now,
        media: { ...NO_PROFILE_MEDIA, photoId: ids[0], galleryIds: ids.slice(1) },
        ratingAverage: 0,
        ratingCount: 0,
        revision: 1,
        createdAt: now,
        updatedAt: now,
      });
    }
    await teachers.seedProfiles(profiles);
    const PAGE = `query S($first: Int, $filter: TeacherSearchFilter) { searchTeachers(first: $first, filter: $filter) {
      edges { node { id photo { url blurhash variant(size: THUMB_512) { url } } gallery { id variant(size: THUMB_128) { url } } } }
    } }`;
    const snapshot = async () =>
      Object.fromEntries(
        (await t.metrics.storeCalls.get()).values.map((v) => [
          `${v.labels.store}:${v.labels.operation}`,
          Number(v.value),
        ]),
      );
    const measure = async (first: number) => {
      const before = await snapshot();
      const data = await t.gql.ok(PAGE, { first, filter: { instrument } });
      const after = await snapshot();
      const delta: Record<string, number> = {};
      for (const [key, value] of Object.entries(after))
        if (value !== (before[key] ?? 0)) delta[key] = value - (before[key] ?? 0);
      return { edges: data.searchTeachers.edges, delta };
    };
    const small = await measure(2);
    const page = await measure(20);
    expect(page.edges).toHaveLength(20);
    for (const { node } of page.edges) {
      expect(node.photo.variant.url).toMatch(/THUMB_512\.WEBP\?/);
      expect(node.gallery).toHaveLength(3);
    }
    // One search aggregate and one find for every photo and gallery item of the page; no S3 call
    // (URLs are signed locally).
    expect(page.delta).toEqual({ 'mongodb:aggregate': 1, 'mongodb:find': 1 });
    expect(small.delta).toEqual(page.delta);
  });

  it('deletes a deleted account’s media, ends its sessions, frees its e-mail and unpublishes its profile', async () => {
    const teacher = await teacherWithProfile(t, completeProfile(), { displayName: 'Soon Gone' });
    const photo = await uploaded(teacher, 'PROFILE_PHOTO', 'image/jpeg', await image(300, 300, '#123456'));
    const avatar = await uploaded(teacher, 'AVATAR', 'image/png', await image(64, 64, '#654321', 'png'));
    const unfinished = await createUpload(teacher.gql, {
      purpose: 'PROFILE_AUDIO',
      contentType: 'audio/mpeg',
      byteSize: 5000,
    });
    await runJobs();
    await teacher.gql.ok('mutation($id: ID) { setMyTeacherPhoto(mediaId: $id) { id } }', { id: photo });
    await teacher.gql.ok('mutation($id: ID) { setMyAvatar(mediaId: $id) { id } }', { id: avatar });
    const keysBefore = await bucketKeys(t);
    expect((await teacher.gql.ok(USAGE)).myMediaUsage.count).toBe(3);

    const wrong = await teacher.gql.request(
      'mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) }',
      {
        input: { password: 'not the password at all' },
      },
    );
    expect(wrong.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.password', message: 'password is not correct' }],
    });
    // The deletion is announced as the domain event `account.deleted`, which the media and
    // teachers features consume durably (through the outbox).
    expect(t.app.get(OutboxConsumers).for('account.deleted')).toEqual(
      expect.arrayContaining(['media.account-deleted', 'teachers.account-status']),
    );
    const announced: DomainEvent<'account.deleted'>[] = [];
    const listener = (event: DomainEvent<'account.deleted'>) => announced.push(event);
    t.app.get(EventEmitter2).on('account.deleted', listener);
    try {
      expect(
        await teacher.gql.ok('mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) }', {
          input: { password: TEST_PASSWORD },
        }),
      ).toEqual({ deleteMyAccount: true });
    } finally {
      t.app.get(EventEmitter2).off('account.deleted', listener);
    }
    expect(announced.map((e) => e.payload)).toEqual([{ userId: teacher.id }]);
    await t.app.get(OutboxRelay).idle();

    // Sessions are over; the e-mail address may sign up again (a new account).
    expect((await teacher.gql.request('{ me { id } }')).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const again = await t.gql.request(SIGN_UP, {
      input: {
        email: teacher.email,
        password: TEST_PASSWORD,
        displayName: 'Back again',
        timeZone: 'UTC',
        role: 'STUDENT',
      },
    });
    expect(again.data!.signUp.user.id).not.toBe(teacher.id);
    // Every object of the account is gone from the bucket, and its records.
    const keysAfter = await bucketKeys(t);
    const removed = keysBefore.filter((k) => !keysAfter.includes(k));
    expect(removed).toHaveLength(14); // two images: original + 6 derivatives each
    for (const id of [photo, avatar, unfinished.media.id])
      expect(await t.app.get(MediaRepository).findById(id)).toBeNull();
    // What refers to the account shows a tombstone; the profile is out of view.
    expect(
      (await t.gql.ok('query($id: ID!) { user(id: $id) { displayName avatar { id } } }', { id: teacher.id })).user,
    ).toEqual({
      displayName: 'Deleted user',
      avatar: null,
    });
    const gone = await t.gql.request(TEACHER_MEDIA, { id: teacher.id });
    expect(gone.errors).toBeUndefined();
    expect(gone.data).toEqual({ teacher: null });
    // An admin deletes others, not themself.
    const admin = await createAccount(t, 'ADMIN');
    const student = await createAccount(t, 'STUDENT');
    expect(await admin.gql.ok('mutation($id: ID!) { deleteUser(id: $id) }', { id: student.id })).toEqual({
      deleteUser: true,
    });
    expect(
      (await admin.gql.request('mutation($id: ID!) { deleteUser(id: $id) }', { id: student.id })).errors![0].extensions!
        .code,
    ).toBe('NOT_FOUND');
    expect(
      (await admin.gql.request('mutation($id: ID!) { deleteUser(id: $id) }', { id: admin.id })).errors![0].extensions,
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'SELF_DELETION',
    });
  });
});
