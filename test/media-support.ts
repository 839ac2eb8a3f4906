import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { GraphQLClient, TestAccount, TestApp } from '@app/testing';
import { S3Store } from '../src/stores/s3.store';

export const MEDIA_FIELDS = `id purpose kind status contentType byteSize fileName width height durationSeconds codec
  blurhash dominantColor rejection { reason message } url urlExpiresAt
  variants { size format width height byteSize url }`;

export const CREATE_UPLOAD = `mutation Create($input: CreateUploadInput!) {
  createUpload(input: $input) {
    media { id status purpose kind contentType byteSize }
    url fields { name value } expiresAt
    multipart { partSize partCount parts { partNumber url } }
  }
}`;

export const COMPLETE_UPLOAD = `mutation Complete($id: ID!, $parts: [CompletedPartInput!]) {
  completeUpload(id: $id, parts: $parts) { ${MEDIA_FIELDS} }
}`;

export const MEDIA = `query Media($id: ID!) { media(id: $id) { ${MEDIA_FIELDS} } }`;
export const DELETE_MEDIA = 'mutation Delete($id: ID!) { deleteMedia(id: $id) }';
export const USAGE = '{ myMediaUsage { count maxCount bytes maxBytes } }';

export interface Ticket {
  media: { id: string; status: string };
  url: string | null;
  fields: Array<{ name: string; value: string }>;
  expiresAt: string;
  multipart: { partSize: number; partCount: number; parts: Array<{ partNumber: number; url: string }> } | null;
}

/** createUpload through the API; fails the test on errors. */
export async function createUpload(
  gql: GraphQLClient,
  input: { purpose: string; contentType: string; byteSize: number; fileName?: string; lessonId?: string },
): Promise<Ticket> {
  return (await gql.ok<{ createUpload: Ticket }>(CREATE_UPLOAD, { input })).createUpload;
}

/** The POST a browser makes: a multipart/form-data form with the policy fields first and the file last. */
export async function postForm(ticket: Ticket, bytes: Buffer, contentType: string): Promise<number> {
  const form = new FormData();
  for (const { name, value } of ticket.fields) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'upload.bin');
  const res = await fetch(ticket.url!, { method: 'POST', body: form });
  await res.arrayBuffer();
  return res.status;
}

/** createUpload, the POST, completeUpload: the whole flow a client runs; returns completeUpload's answer. */
export async function upload(
  gql: GraphQLClient,
  purpose: string,
  contentType: string,
  bytes: Buffer,
  declared: { byteSize?: number; fileName?: string } = {},
) {
  const ticket = await createUpload(gql, {
    purpose,
    contentType,
    byteSize: declared.byteSize ?? bytes.length,
    fileName: declared.fileName ?? 'file',
  });
  expect(await postForm(ticket, bytes, contentType)).toBe(204);
  const res = await gql.request<{ completeUpload: Record<string, any> }>(COMPLETE_UPLOAD, { id: ticket.media.id });
  return { ticket, res, media: res.data?.completeUpload };
}

/** Every key in the test server's bucket. */
export async function bucketKeys(t: TestApp): Promise<string[]> {
  const s3 = t.app.get(S3Store);
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

/** A photo as a phone takes it: EXIF with a GPS position and an orientation tag (6: rotate 90° to show). */
export function photoWithGps(width: number, height: number, opts: { orientation?: number } = {}): Promise<Buffer> {
  const { orientation = 6 } = opts;
  // Left half red, right half blue: orientation and crops are visible in the pixels.
  const left = Buffer.alloc(Math.floor(width / 2) * height * 3);
  for (let i = 0; i < left.length; i += 3) left[i] = 220;
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 60, b: 200 } } })
    .composite([{ input: left, raw: { width: Math.floor(width / 2), height, channels: 3 }, left: 0, top: 0 }])
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Camera 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 24/1 0/1' },
    })
    .withMetadata({ orientation })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Whether an EXIF block (as sharp's metadata().exif gives it) has a GPS IFD pointer (tag 0x8825) in IFD0. */
export function hasGpsTag(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.indexOf('Exif\0\0') >= 0 ? exif.indexOf('Exif\0\0') + 6 : 0);
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd0 = u32(4);
  const entries = u16(ifd0);
  for (let i = 0; i < entries; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

/** A real audio file made with ffmpeg (a sine tone), in the given container and codec. */
export function audioFile(seconds: number, format: 'wav' | 'mp3' | 'm4a', opts: { rate?: number } = {}): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'media-test-'));
  try {
    const out = join(dir, `tone.${format}`);
    const codec =
      format === 'mp3' ? ['-c:a', 'libmp3lame', '-b:a', '64k'] : format === 'm4a' ? ['-c:a', 'aac', '-b:a', '64k'] : [];
    execFileSync(
      'ffmpeg',
      [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=440:duration=${seconds}:sample_rate=${opts.rate ?? 44100}`,
        '-ac',
        '2',
        ...codec,
        '-y',
        out,
      ],
      { stdio: 'pipe' },
    );
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A short real video (H.264 in MP4) made with ffmpeg. */
export function videoFile(seconds: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'media-test-'));
  try {
    const out = join(dir, 'clip.mp4');
    execFileSync(
      'ffmpeg',
      [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `testsrc=duration=${seconds}:size=320x240:rate=15`,
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        '-y',
        out,
      ],
      { stdio: 'pipe' },
    );
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A valid PNG of width × height pixels, 1 bit grey and all zero: tiny on disk, huge decoded (a decompression bomb). */
export function pngBomb(width: number, height: number): Buffer {
  const row = Buffer.alloc(1 + Math.ceil(width / 8));
  const raw = Buffer.alloc(row.length * height);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A lesson the student requested from the teacher (who gets a bookable profile), through the API. */
export async function bookLesson(teacher: TestAccount, student: TestAccount): Promise<string> {
  await teacher.gql.ok(
    `mutation($input: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $input) { id } }`,
    {
      input: {
        slug: `rec-${teacher.id.toLowerCase()}`,
        instruments: [{ name: 'Piano', levels: ['BEGINNER'] }],
        formats: ['ONLINE'],
        timeZone: 'UTC',
        offerings: [{ durationMinutes: 60, amountMinor: 4000, currency: 'EUR' }],
        policies: {
          minNoticeHours: 0,
          maxAdvanceDays: 365,
          bufferMinutes: 0,
          cancellationNoticeHours: 24,
          lateCancellationFeePercent: 0,
        },
      },
    },
  );
  await teacher.gql.ok('mutation { publishMyTeacherProfile { id } }');
  await teacher.gql.ok('mutation($w: [AvailabilityWindowInput!]!) { setWeeklyAvailability(windows: $w) { weekday } }', {
    w: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map((weekday) => ({
      weekday,
      start: '00:00',
      end: '24:00',
    })),
  });
  const start = new Date(Math.ceil((Date.now() + 48 * 3_600_000) / 3_600_000) * 3_600_000).toISOString();
  const lesson = await student.gql.ok('mutation($input: RequestLessonInput!) { requestLesson(input: $input) { id } }', {
    input: { teacherId: teacher.id, start, durationMinutes: 60, format: 'ONLINE' },
  });
  return lesson.requestLesson.id;
}
