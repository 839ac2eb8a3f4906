import {
  ListMultipartUploadsCommand,
  GetBucketCorsCommand,
  GetBucketLifecycleConfigurationCommand,
} from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { createAccount, startTestApp, TestAccount, TestApp } from '@app/testing';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { S3Store } from '../src/stores/s3.store';
import {
  audioFile,
  bookLesson,
  bucketKeys,
  COMPLETE_UPLOAD,
  CREATE_UPLOAD,
  createUpload,
  DELETE_MEDIA,
  MEDIA,
  photoWithGps,
  pngBomb,
  postForm,
  upload,
  USAGE,
} from './media-support';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Every bad input of the upload flow answers a typed error naming the problem, and leaves the
 * bucket and the quota exactly as they were; quotas hold under concurrency; what is never
 * completed is swept.
 */
describe('media: bad input, quotas, cleanup', () => {
  let t: TestApp;
  let user: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({
      config: {
        JOBS_ENABLED: 'false',
        AUTH_RATE_LIMIT_PER_IP: '1000',
        MEDIA_QUOTA_COUNT: '5',
        MEDIA_QUOTA_BYTES: String(100 * MiB),
        MEDIA_UPLOAD_RATE_LIMIT: '12',
        // This app has a CDN in front of public/ (the others presign every URL).
        MEDIA_PUBLIC_BASE_URL: 'https://media.cdn.example/',
      },
    });
    user = await createAccount(t, 'TEACHER');
  });
  afterAll(async () => t?.close());

  const usage = async (who: TestAccount = user) => (await who.gql.ok(USAGE)).myMediaUsage;

  /** Runs a bad case and checks that the bucket and the quota are as before it. */
  async function leavesNothing(run: () => Promise<void>, who: TestAccount = user): Promise<void> {
    const [keysBefore, usageBefore] = await Promise.all([bucketKeys(t), usage(who)]);
    await run();
    expect(await bucketKeys(t)).toEqual(keysBefore);
    expect(await usage(who)).toEqual(usageBefore);
  }

  const create = (input: Record<string, unknown>, who: TestAccount = user) => who.gql.request(CREATE_UPLOAD, { input });
  const fieldsOf = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) =>
    (res.errors?.[0]?.extensions?.fields ?? []).map(
      (f: { field: string; message: string }) => `${f.field}: ${f.message}`,
    );

  it('refuses an unknown purpose, a type the purpose does not allow, and a size of zero or over the limit', async () => {
    await leavesNothing(async () => {
      const unknown = await create({ purpose: 'WALLPAPER', contentType: 'image/png', byteSize: 10 });
      expect(unknown.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(unknown.errors![0].message).toMatch(/WALLPAPER.*MediaPurpose/);

      const pdfPhoto = await create({ purpose: 'PROFILE_PHOTO', contentType: 'application/pdf', byteSize: 10 });
      expect(pdfPhoto.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(fieldsOf(pdfPhoto)).toEqual([
        expect.stringMatching(
          /^input\.contentType: application\/pdf is not allowed for PROFILE_PHOTO; allowed: image\/jpeg/,
        ),
      ]);

      const zero = await create({ purpose: 'AVATAR', contentType: 'image/png', byteSize: 0 });
      expect(fieldsOf(zero)).toEqual(['input.byteSize: byteSize must be at least 1 byte']);

      const big = await create({ purpose: 'AVATAR', contentType: 'image/png', byteSize: 10 * MiB + 1 });
      expect(fieldsOf(big)).toEqual([`input.byteSize: byteSize must be at most ${10 * MiB} bytes for AVATAR`]);

      const fractional = await create({ purpose: 'AVATAR', contentType: 'image/png', byteSize: 10.5 });
      expect(fieldsOf(fractional)).toEqual([
        expect.stringMatching(/^input\.byteSize: byteSize must be a whole number/),
      ]);
    });
  });

  it('allows a lesson recording of exactly 2 GiB in parts and refuses one byte more', async () => {
    const teacher = await createAccount(t, 'TEACHER');
    // No lesson needed to prove the size rule: the size is checked with the other input.
    const over = await create(
      { purpose: 'LESSON_RECORDING', contentType: 'video/mp4', byteSize: 2 * GiB + 1, lessonId: '01JLESSON' },
      teacher,
    );
    expect(fieldsOf(over)).toEqual([`input.byteSize: byteSize must be at most ${2 * GiB} bytes for LESSON_RECORDING`]);
    const noLesson = await create(
      { purpose: 'LESSON_RECORDING', contentType: 'video/mp4', byteSize: 2 * GiB },
      teacher,
    );
    expect(fieldsOf(noLesson)).toEqual(['input.lessonId: LESSON_RECORDING needs the lessonId it records']);
    // Somebody else's (or no) lesson: not found, nothing reserved.
    await leavesNothing(async () => {
      const stranger = await create(
        { purpose: 'LESSON_RECORDING', contentType: 'video/mp4', byteSize: 2 * GiB, lessonId: '01JNOSUCHLESSON' },
        teacher,
      );
      expect(stranger.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Lesson' });
    }, teacher);
  });

  it('answers completing an upload that never happened with UPLOAD_MISSING, and gives the quota back', async () => {
    await leavesNothing(async () => {
      const ticket = await createUpload(user.gql, { purpose: 'AVATAR', contentType: 'image/png', byteSize: 1000 });
      expect((await usage()).count).toBeGreaterThan(0);
      const res = await user.gql.request(COMPLETE_UPLOAD, { id: ticket.media.id });
      expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'UPLOAD_MISSING' });
      expect(res.errors![0].message).toMatch(/no file was uploaded/);
      // The record says why, for a day; completing again answers the same.
      const media = (await user.gql.ok(MEDIA, { id: ticket.media.id })).media;
      expect(media).toMatchObject({ status: 'REJECTED', rejection: { reason: 'UPLOAD_MISSING' }, url: null });
      const again = await user.gql.request(COMPLETE_UPLOAD, { id: ticket.media.id });
      expect(again.errors![0].extensions!.reason).toBe('UPLOAD_MISSING');
    });
  });

  it("does not let anyone complete, see or delete someone else's upload", async () => {
    const other = await createAccount(t, 'STUDENT');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const ticket = await createUpload(user.gql, {
      purpose: 'CHAT_ATTACHMENT',
      contentType: 'image/png',
      byteSize: png.length,
    });
    expect(await postForm(ticket, png, 'image/png')).toBe(204);
    await leavesNothing(async () => {
      const complete = await other.gql.request(COMPLETE_UPLOAD, { id: ticket.media.id });
      expect(complete.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Upload' });
      const remove = await other.gql.request(DELETE_MEDIA, { id: ticket.media.id });
      expect(remove.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Media' });
      expect((await other.gql.ok(MEDIA, { id: ticket.media.id })).media).toBeNull();
    });
    // Still the owner's to finish, then to delete with every object of it.
    expect((await user.gql.ok(COMPLETE_UPLOAD, { id: ticket.media.id })).completeUpload.status).toBe('PROCESSING');
    await t.app.get(JobScheduler).runDueDelayed();
    const before = await usage();
    const keysBefore = await bucketKeys(t);
    expect(await user.gql.ok(DELETE_MEDIA, { id: ticket.media.id })).toEqual({ deleteMedia: true });
    const keysAfter = await bucketKeys(t);
    const removed = keysBefore.filter((k) => !keysAfter.includes(k));
    // The original and its 6 derivatives, all private (a chat attachment), all under one token.
    expect(removed).toHaveLength(7);
    expect(new Set(removed.map((k) => k.split('/').slice(0, 2).join('/')))).toEqual(
      new Set([removed[0].split('/').slice(0, 2).join('/')]),
    );
    expect(removed[0]).toMatch(/^private\//);
    expect(await usage()).toEqual({ ...before, count: before.count - 1, bytes: before.bytes - png.length });
    expect((await user.gql.ok(MEDIA, { id: ticket.media.id })).media).toBeNull();
  });

  it('rejects a PNG declared as audio, a wrong size, a truncated or corrupt file, and a 20000 × 20000 image', async () => {
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    const jpeg = await photoWithGps(600, 400);
    const m4a = audioFile(2, 'm4a');
    const random = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251));
    const cases: Array<{
      name: string;
      purpose: string;
      type: string;
      bytes: Buffer;
      byteSize?: number;
      reason: string;
      message: RegExp;
    }> = [
      {
        name: 'PNG as audio',
        purpose: 'PROFILE_AUDIO',
        type: 'audio/mpeg',
        bytes: png,
        reason: 'TYPE_MISMATCH',
        message: /the file is image\/png, not the declared audio\/mpeg/,
      },
      {
        name: 'smaller than declared',
        purpose: 'PROFILE_PHOTO',
        type: 'image/jpeg',
        bytes: jpeg.subarray(0, jpeg.length - 100),
        byteSize: jpeg.length,
        reason: 'SIZE_MISMATCH',
        message: new RegExp(`has ${jpeg.length - 100} bytes, not the declared ${jpeg.length}`),
      },
      {
        name: 'truncated JPEG',
        purpose: 'PROFILE_PHOTO',
        type: 'image/jpeg',
        bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
        reason: 'UNREADABLE',
        message: /does not decode/,
      },
      {
        name: 'corrupt JPEG',
        purpose: 'AVATAR',
        type: 'image/jpeg',
        bytes: Buffer.concat([jpeg.subarray(0, 200), random]),
        reason: 'UNREADABLE',
        message: /does not decode/,
      },
      {
        name: 'noise as MP3',
        purpose: 'PROFILE_AUDIO',
        type: 'audio/mpeg',
        bytes: random,
        reason: 'TYPE_MISMATCH',
        message: /not a recognised audio\/mpeg file/,
      },
      {
        name: 'truncated M4A (no index)',
        purpose: 'PROFILE_AUDIO',
        type: 'audio/mp4',
        bytes: m4a.subarray(0, Math.floor(m4a.length * 0.6)),
        reason: 'UNREADABLE',
        message: /duration|parse/,
      },
      {
        name: '20000 × 20000 PNG',
        purpose: 'PROFILE_PHOTO',
        type: 'image/png',
        bytes: pngBomb(20000, 20000),
        reason: 'TOO_MANY_PIXELS',
        message: /20000 × 20000 pixels; at most 60,000,000/,
      },
    ];
    for (const c of cases) {
      await leavesNothing(async () => {
        const { res, ticket } = await upload(user.gql, c.purpose, c.type, c.bytes, { byteSize: c.byteSize });
        expect({ case: c.name, extensions: res.errors?.[0]?.extensions }).toEqual({
          case: c.name,
          extensions: { code: 'CONFLICT', reason: c.reason },
        });
        expect(res.errors![0].message).toMatch(c.message);
        // The media record keeps the verdict (REJECTED with the reason) for its owner.
        expect((await user.gql.ok(MEDIA, { id: ticket.media.id })).media).toMatchObject({
          status: 'REJECTED',
          rejection: { reason: c.reason },
          url: null,
        });
      });
    }
  });

  it('lets exactly 5 of 10 concurrent uploads into a quota of 5 files', async () => {
    const student = await createAccount(t, 'STUDENT');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        create({ purpose: 'CHAT_ATTACHMENT', contentType: 'application/pdf', byteSize: 1000 + i }, student),
      ),
    );
    const ok = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    expect(ok).toHaveLength(5);
    for (const r of refused) {
      expect(r.errors![0].extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'MEDIA_QUOTA_EXCEEDED',
        field: 'input.byteSize',
      });
    }
    const used = await usage(student);
    expect(used).toEqual({
      count: 5,
      maxCount: 5,
      bytes: ok.reduce((sum, r) => sum + r.data!.createUpload.media.byteSize, 0),
      maxBytes: 100 * MiB,
    });
    // Deleting one makes room for exactly one more.
    await student.gql.ok(DELETE_MEDIA, { id: ok[0].data!.createUpload.media.id });
    expect(
      (await create({ purpose: 'CHAT_ATTACHMENT', contentType: 'application/pdf', byteSize: 10 }, student)).errors,
    ).toBeUndefined();
    expect(
      (await create({ purpose: 'CHAT_ATTACHMENT', contentType: 'application/pdf', byteSize: 10 }, student)).errors![0]
        .extensions!.reason,
    ).toBe('MEDIA_QUOTA_EXCEEDED');
  });

  it('holds the byte quota under concurrency too', async () => {
    const teacher = await createAccount(t, 'TEACHER');
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        create({ purpose: 'PROFILE_VIDEO', contentType: 'video/mp4', byteSize: 40 * MiB }, teacher),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(2);
    expect(await usage(teacher)).toMatchObject({ count: 2, bytes: 80 * MiB });
  });

  it('rate-limits createUpload per user before touching the quota', async () => {
    const student = await createAccount(t, 'STUDENT');
    const codes: string[] = [];
    for (let i = 0; i < 13; i++) {
      const res = await create({ purpose: 'CHAT_ATTACHMENT', contentType: 'application/pdf', byteSize: 10 }, student);
      codes.push(res.errors ? `${res.errors[0].extensions!.code}:${res.errors[0].extensions!.reason ?? ''}` : 'OK');
    }
    expect(codes).toEqual([...Array(5).fill('OK'), ...Array(7).fill('CONFLICT:MEDIA_QUOTA_EXCEEDED'), 'RATE_LIMITED:']);
    const last = await create({ purpose: 'CHAT_ATTACHMENT', contentType: 'application/pdf', byteSize: 10 }, student);
    expect(last.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect((await usage(student)).count).toBe(5);
  });

  it('sweeps uploads never completed (objects, open multipart uploads, quota) once their window closes', async () => {
    const teacher = await createAccount(t, 'TEACHER');
    const s3 = t.app.get(S3Store);
    await leavesNothing(async () => {
      // A file posted but never completed.
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0f0' } })
        .png()
        .toBuffer();
      const posted = await createUpload(teacher.gql, {
        purpose: 'AVATAR',
        contentType: 'image/png',
        byteSize: png.length,
      });
      expect(await postForm(posted, png, 'image/png')).toBe(204);
      // A multipart upload with one part sent, never completed.
      const student = await createAccount(t, 'STUDENT');
      const lessonId = await bookLesson(teacher, student);
      const recording = await createUpload(teacher.gql, {
        purpose: 'LESSON_RECORDING',
        contentType: 'audio/wav',
        byteSize: 12 * MiB,
        lessonId,
      });
      const part = await fetch(recording.multipart!.parts[0].url, { method: 'PUT', body: new Uint8Array(5 * MiB) });
      expect(part.status).toBe(200);
      const open = async () =>
        (await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }))).Uploads ?? [];
      expect(await open()).toHaveLength(1);
      expect((await usage(teacher)).count).toBe(2);

      // Not yet: the window (URL lifetime plus grace) is still open.
      t.clock.advance(60_000);
      await t.app.get(JobScheduler).runDuePeriodic();
      expect((await usage(teacher)).count).toBe(2);
      // Past it (multipart URLs live 6 h): both go.
      t.clock.advance(7 * 3_600_000);
      try {
        expect(await t.app.get(JobScheduler).runDuePeriodic()).toContain('media.sweep');
      } finally {
        t.clock.reset();
      }
      expect(await open()).toHaveLength(0);
      expect((await teacher.gql.ok(MEDIA, { id: posted.media.id })).media).toBeNull();
    }, teacher);
  });

  it('sets the bucket rules uploads rely on: abort incomplete multipart uploads, browser CORS', async () => {
    const s3 = t.app.get(S3Store);
    const lifecycle = await s3.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: s3.bucket }));
    expect(lifecycle.Rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    ]);
    const cors = await s3.client.send(new GetBucketCorsCommand({ Bucket: s3.bucket }));
    expect(cors.CORSRules![0]).toMatchObject({
      AllowedMethods: expect.arrayContaining(['POST', 'PUT']),
      ExposeHeaders: ['ETag'],
    });
  });

  it('serves public media from MEDIA_PUBLIC_BASE_URL with URLs that do not expire, and private media presigned', async () => {
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#0af' } })
      .png()
      .toBuffer();
    const owner = await createAccount(t, 'STUDENT');
    const avatar = await upload(owner.gql, 'AVATAR', 'image/png', png);
    const attachment = await upload(owner.gql, 'CHAT_ATTACHMENT', 'image/png', png);
    expect(await t.app.get(JobScheduler).runDueDelayed()).toBeGreaterThanOrEqual(2);
    const cdn = /^https:\/\/media\.cdn\.example\/public\/[A-Za-z0-9_-]{22}\/[a-z0-9_]+\.(webp|jpg)$/;
    const pub = (await t.gql.ok(MEDIA, { id: avatar.media!.id })).media;
    expect(pub.url).toMatch(cdn);
    expect(pub.urlExpiresAt).toBeNull();
    expect(pub.variants).toHaveLength(6);
    for (const v of pub.variants) expect(v.url).toMatch(cdn);
    // The CDN URL names an object that is in the bucket.
    expect(await bucketKeys(t)).toContain(new URL(pub.url).pathname.slice(1));
    // Private media never go through the CDN: a short presigned GET for the owner only.
    const priv = (await owner.gql.ok(MEDIA, { id: attachment.media!.id })).media;
    expect(priv.url).toMatch(/\/private\/[A-Za-z0-9_-]{22}\/display_1600\.jpg\?.*X-Amz-Signature=/);
    expect(priv.urlExpiresAt).not.toBeNull();
    await owner.gql.ok(DELETE_MEDIA, { id: avatar.media!.id });
    await owner.gql.ok(DELETE_MEDIA, { id: attachment.media!.id });
  });
});
