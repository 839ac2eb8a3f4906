import sharp from 'sharp';
import { createAccount, startTestApp, TestAccount, TestApp } from '@app/testing';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import {
  audioFile,
  bookLesson,
  bucketKeys,
  COMPLETE_UPLOAD,
  createUpload,
  hasGpsTag,
  MEDIA,
  photoWithGps,
  postForm,
  upload,
  videoFile,
} from './media-support';

/**
 * Direct uploads against moto's S3 over HTTP, with real files made here (sharp, ffmpeg): the
 * browser's form POST, completion and verification, image derivatives, multipart recordings.
 */
const MiB = 1024 * 1024;

describe('media uploads', () => {
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
      },
    });
    user = await createAccount(t, 'TEACHER');
  });
  afterAll(async () => t?.close());

  const runJobs = () => t.app.get(JobScheduler).runDueDelayed();

  it('takes a phone photo through the presigned POST and serves derivatives without its GPS position', async () => {
    const original = await photoWithGps(1200, 800, { orientation: 6 });
    const meta = await sharp(original).metadata();
    expect(hasGpsTag(meta.exif)).toBe(true);
    expect(meta.orientation).toBe(6);

    const { media, ticket } = await upload(user.gql, 'PROFILE_PHOTO', 'image/jpeg', original, {
      fileName: 'C:\\photos\\me.jpg',
    });
    expect(ticket.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['key', 'Policy', 'X-Amz-Signature', 'Content-Type']),
    );
    // The policy pins the key, the exact type and the exact size (moto does not enforce it; S3 does).
    const policy = JSON.parse(Buffer.from(ticket.fields.find((f) => f.name === 'Policy')!.value, 'base64').toString());
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', original.length, original.length],
        ['eq', '$Content-Type', 'image/jpeg'],
        { key: ticket.fields.find((f) => f.name === 'key')!.value },
      ]),
    );
    // ... and is valid for minutes: 15 (MEDIA_UPLOAD_URL_TTL_SECONDS) from its signing.
    const signedAt = Date.parse(
      ticket.fields
        .find((f) => f.name === 'X-Amz-Date')!
        .value.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    expect(Math.floor((Date.parse(policy.expiration) - signedAt) / 1000)).toBe(900);
    // Verified at once: oriented size, placeholders; derivatives follow off the request.
    expect(media).toMatchObject({
      status: 'PROCESSING',
      width: 800,
      height: 1200,
      fileName: 'me.jpg',
      url: null,
      variants: [],
    });
    expect(media!.blurhash).toMatch(/^[0-9A-Za-z#$%*+,-.:;=?@[\]^_{|}~]{20,}$/);
    expect(media!.dominantColor).toMatch(/^#[0-9a-f]{6}$/);

    expect(await runJobs()).toBeGreaterThanOrEqual(1);
    const ready = (await user.gql.ok(MEDIA, { id: media!.id })).media;
    expect(ready.status).toBe('READY');
    const sizes = ready.variants.map((v: any) => `${v.size}/${v.format}/${v.width}x${v.height}`).sort();
    expect(sizes).toEqual([
      'DISPLAY_1600/JPEG/800x1200',
      'DISPLAY_1600/WEBP/800x1200',
      'THUMB_128/JPEG/128x128',
      'THUMB_128/WEBP/128x128',
      'THUMB_512/JPEG/512x512',
      'THUMB_512/WEBP/512x512',
    ]);
    for (const variant of ready.variants) {
      const res = await fetch(variant.url);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(variant.byteSize);
      const decoded = await sharp(bytes).metadata();
      expect(decoded.format).toBe(variant.format === 'WEBP' ? 'webp' : 'jpeg');
      expect([decoded.width, decoded.height]).toEqual([variant.width, variant.height]);
      expect(hasGpsTag(decoded.exif)).toBe(false);
      expect(decoded.exif).toBeUndefined();
      expect(decoded.orientation ?? 1).toBe(1);
    }
    // Orientation applied: the red left half of the sensor image is now the top.
    const display = ready.variants.find((v: any) => v.size === 'DISPLAY_1600' && v.format === 'JPEG');
    const pixels = await sharp(Buffer.from(await (await fetch(display.url)).arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) =>
      pixels.data.subarray((y * pixels.info.width + x) * 3, (y * pixels.info.width + x) * 3 + 3);
    expect(at(400, 100)[0]).toBeGreaterThan(150); // top: red
    expect(at(400, 1100)[2]).toBeGreaterThan(150); // bottom: blue
    expect(ready.url).toBe(display.url);
    // The original (with its EXIF) is never public: only derivatives are under public/.
    const keys = await bucketKeys(t);
    const mine = keys.filter(
      (k) => k.split('/')[1] === keys.find((key) => key.endsWith('thumb_128.webp'))!.split('/')[1],
    );
    expect(mine.filter((k) => k.startsWith('private/'))).toEqual([
      expect.stringMatching(/^private\/[A-Za-z0-9_-]{22}\/original$/),
    ]);
    expect(mine.filter((k) => k.startsWith('public/'))).toHaveLength(6);
  });

  it('takes a lesson recording in three presigned parts and reads its duration', async () => {
    const teacher = await createAccount(t, 'TEACHER');
    const student = await createAccount(t, 'STUDENT');
    const lessonId = await bookLesson(teacher, student);
    // 65 s of 44.1 kHz stereo PCM: about 11.5 MB, so three parts of 5 MiB, 5 MiB and the rest.
    const wav = audioFile(65, 'wav');
    const ticket = await createUpload(teacher.gql, {
      purpose: 'LESSON_RECORDING',
      contentType: 'audio/wav',
      byteSize: wav.length,
      lessonId,
    });
    expect(ticket.url).toBeNull();
    expect(ticket.multipart).toMatchObject({ partSize: 5 * 1024 * 1024, partCount: 3 });
    const parts: Array<{ partNumber: number; etag: string }> = [];
    for (const part of ticket.multipart!.parts) {
      const size = ticket.multipart!.partSize;
      const res = await fetch(part.url, {
        method: 'PUT',
        body: new Uint8Array(wav.subarray((part.partNumber - 1) * size, part.partNumber * size)),
      });
      expect(res.status).toBe(200);
      parts.push({ partNumber: part.partNumber, etag: res.headers.get('etag')! });
    }
    const media = (await teacher.gql.ok(COMPLETE_UPLOAD, { id: ticket.media.id, parts: [...parts].reverse() }))
      .completeUpload;
    expect(media).toMatchObject({
      status: 'READY',
      kind: 'AUDIO',
      byteSize: wav.length,
      codec: expect.stringMatching(/PCM/),
    });
    expect(media.durationSeconds).toBeCloseTo(65, 1);
    // Its teacher and student can fetch it; the bytes are the recording.
    const forStudent = (await student.gql.ok(MEDIA, { id: media.id })).media;
    const fetched = Buffer.from(await (await fetch(forStudent.url)).arrayBuffer());
    expect(fetched.equals(wav)).toBe(true);
  });

  it('takes a profile video and an audio clip and reads their duration and codec', async () => {
    const mp4 = videoFile(2);
    const video = await upload(user.gql, 'PROFILE_VIDEO', 'video/mp4', mp4);
    expect(video.res.errors).toBeUndefined();
    expect(video.media).toMatchObject({ status: 'READY', kind: 'VIDEO', width: 320, height: 240 });
    expect(video.media!.durationSeconds).toBeCloseTo(2, 0);
    // Public media are served from public/ (a CDN may front it); the bytes are the file.
    expect(Buffer.from(await (await fetch(video.media!.url)).arrayBuffer()).equals(mp4)).toBe(true);

    const mp3 = audioFile(3, 'mp3');
    const audio = await upload(user.gql, 'PROFILE_AUDIO', 'audio/mpeg', mp3);
    expect(audio.res.errors).toBeUndefined();
    expect(audio.media).toMatchObject({ status: 'READY', kind: 'AUDIO', codec: 'MPEG 1 Layer 3' });
    expect(audio.media!.durationSeconds).toBeGreaterThan(2.9);
    expect(audio.media!.durationSeconds).toBeLessThan(3.2);
    expect(audio.media!.url).toMatch(/^http/);
  });

  it('finishes a verified upload once, however often completeUpload is retried', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 4, background: '#33cc99' } })
      .png()
      .toBuffer();
    const ticket = await createUpload(user.gql, { purpose: 'AVATAR', contentType: 'image/png', byteSize: png.length });
    expect(await postForm(ticket, png, 'image/png')).toBe(204);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => user.gql.request(COMPLETE_UPLOAD, { id: ticket.media.id })),
    );
    const ok = results.filter((r) => !r.errors);
    // Each call either verified it, saw it verified, or was told another call is verifying it.
    for (const r of results.filter((x) => x.errors))
      expect(r.errors![0].extensions!.reason).toBe('UPLOAD_BEING_COMPLETED');
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of ok) expect(r.data!.completeUpload.status).toBe('PROCESSING');
    const again = await user.gql.ok(COMPLETE_UPLOAD, { id: ticket.media.id });
    expect(again.completeUpload.status).toMatch(/PROCESSING|READY/);
  });
});
