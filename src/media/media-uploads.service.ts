import { Injectable } from '@nestjs/common';
import { fromBuffer as sniffFromBuffer } from 'file-type';
import { ulid } from 'ulid';
import { Clock, NotFoundError, ValidationFailedError, type FieldProblem } from '@app/common';
import type { Viewer } from '../auth/viewer';
import { AppConfig } from '../config/app-config';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { AvProbeError, probeAudioVideo } from './av-probe';
import { CompletedPartInput, CreateUploadInput } from './dto/upload.inputs';
import { ImageDecodeError } from './image-processing';
import { MediaImages } from './media-images.service';
import { MediaAccessService } from './media-access.service';
import { MediaDerivativesService } from './media-derivatives.service';
import { completionInProgress, mediaRejected, quotaExceeded, uploadExpired } from './media.errors';
import { MediaObjectsRepository, type PresignedPost } from './media-objects.repository';
import { MediaQuotaRepository, QuotaFullError } from './media-quota.repository';
import { MediaRemovalService } from './media-removal.service';
import { newObjectToken, originalKey } from './media.keys';
import { MediaRepository, type VerifiedFields } from './media.repository';
import { allowedType, cleanFileName, normaliseContentType, partSizeFor, PURPOSES } from './media-rules';
import { Media, MediaContext, MediaKind, MediaPurpose, MediaRejectionReason, MediaStatus } from './media.types';

/** How long after its URLs expire an upload may still be completed (a slow last request). */
const COMPLETION_GRACE_MS = 5 * 60_000;
/** A completeUpload verifies within this; a crashed one's lease then lapses. */
const VERIFY_LEASE_MS = 120_000;
export const DERIVATIVES_JOB = 'media.derivatives';

export interface UploadTicket {
  media: Media;
  post: PresignedPost | null;
  parts: string[] | null;
  expiresAt: Date;
}

/** A file that failed a check: reason and message for the client and the record. */
class Rejection extends Error {
  constructor(
    readonly reason: MediaRejectionReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Direct uploads: createUpload reserves quota and hands out presigned S3 targets; the bytes never
 * pass through this server; completeUpload checks what arrived (HEAD, size, sniffed type, decode)
 * and either accepts it or removes it and gives the quota back.
 */
@Injectable()
export class MediaUploadsService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly media: MediaRepository,
    private readonly objects: MediaObjectsRepository,
    private readonly quota: MediaQuotaRepository,
    private readonly removal: MediaRemovalService,
    private readonly access: MediaAccessService,
    private readonly images: MediaImages,
    private readonly derivatives: MediaDerivativesService,
    private readonly limiter: RateLimiterService,
    private readonly scheduler: JobScheduler,
  ) {}

  async createUpload(viewer: Viewer, input: CreateUploadInput): Promise<UploadTicket> {
    await this.limiter.consume(
      `createUpload:user:${viewer.userId}`,
      this.config.MEDIA_UPLOAD_RATE_LIMIT,
      this.config.MEDIA_UPLOAD_RATE_LIMIT_WINDOW_SECONDS,
    );
    const rules = PURPOSES[input.purpose];
    const type = allowedType(input.purpose, input.contentType);
    const problems: FieldProblem[] = [];
    if (!type) {
      problems.push({
        field: 'input.contentType',
        message: `${input.contentType} is not allowed for ${input.purpose}; allowed: ${Object.keys(rules.types).join(', ')}`,
      });
    }
    if (input.byteSize < 1) problems.push({ field: 'input.byteSize', message: 'byteSize must be at least 1 byte' });
    else if (input.byteSize > rules.maxBytes) {
      problems.push({
        field: 'input.byteSize',
        message: `byteSize must be at most ${rules.maxBytes} bytes for ${input.purpose}`,
      });
    }
    if (rules.needsLesson && !input.lessonId) {
      problems.push({ field: 'input.lessonId', message: `${input.purpose} needs the lessonId it records` });
    }
    if (!rules.needsLesson && input.lessonId) {
      problems.push({ field: 'input.lessonId', message: `lessonId is only for LESSON_RECORDING` });
    }
    if (problems.length) throw new ValidationFailedError(problems);
    if (input.lessonId && !(await this.access.isParticipant(input.lessonId, viewer.userId))) {
      throw new NotFoundError('Lesson', input.lessonId);
    }

    const now = this.clock.now();
    const contentType = normaliseContentType(input.contentType);
    const ttlSeconds = rules.multipart
      ? this.config.MEDIA_MULTIPART_URL_TTL_SECONDS
      : this.config.MEDIA_UPLOAD_URL_TTL_SECONDS;
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    const media = this.newMedia(
      viewer.userId,
      input.purpose,
      type!.kind,
      contentType,
      input.byteSize,
      input.fileName,
      input.lessonId ? { lessonId: input.lessonId } : {},
      now,
      expiresAt,
    );
    const key = media.key;
    if (rules.multipart) {
      const partSize = partSizeFor(input.byteSize);
      media.multipart = {
        uploadId: await this.objects.createMultipart(key, contentType),
        partSize,
        partCount: Math.ceil(input.byteSize / partSize),
      };
    }
    // The record first: whatever happens next, the sweep finds it when its window closes and
    // undoes the rest (the reservation, a multipart upload).
    await this.media.insert(media);
    const limits = { count: this.config.MEDIA_QUOTA_COUNT, bytes: this.config.MEDIA_QUOTA_BYTES };
    try {
      await this.quota.reserve(viewer.userId, media.id, media.byteSize, limits, now);
    } catch (err) {
      if (!(err instanceof QuotaFullError)) throw err;
      await this.removal.remove(media.id);
      throw quotaExceeded(limits, await this.quota.usage(viewer.userId));
    }
    if (media.multipart) {
      const parts = await this.objects.presignParts(
        key,
        media.multipart.uploadId,
        media.multipart.partCount,
        ttlSeconds,
        now,
      );
      return { media, post: null, parts, expiresAt };
    }
    const post = await this.objects.presignPost(key, contentType, media.byteSize, ttlSeconds);
    return { media, post, parts: null, expiresAt };
  }

  /**
   * Checks the uploaded file. Idempotent: completing a verified upload again returns it, and a
   * rejected one answers its rejection again.
   */
  async completeUpload(viewer: Viewer, id: string, parts: CompletedPartInput[] | null | undefined): Promise<Media> {
    const current = await this.media.findById(id);
    if (!current || current.ownerId !== viewer.userId) throw new NotFoundError('Upload', id);
    if (current.status === MediaStatus.REJECTED) {
      throw mediaRejected(current.rejection!.reason, current.rejection!.message);
    }
    if (current.status !== MediaStatus.UPLOADING) return current;
    const now = this.clock.now();
    if (current.uploadExpiresAt <= now) throw uploadExpired();
    if (current.multipart) checkParts(parts ?? [], current.multipart.partCount);
    if (!current.multipart && parts?.length) {
      throw ValidationFailedError.field('parts', 'parts are only for multipart uploads (lesson recordings)');
    }
    const media = await this.media.claimForVerification(
      id,
      viewer.userId,
      now,
      new Date(now.getTime() + VERIFY_LEASE_MS),
    );
    if (!media) {
      const again = await this.media.findById(id);
      if (again && again.status !== MediaStatus.UPLOADING) return this.completeUpload(viewer, id, parts);
      throw completionInProgress();
    }

    let fields: VerifiedFields;
    try {
      fields = await this.verify(media, parts ?? []);
    } catch (err) {
      if (err instanceof Rejection) {
        await this.removal.reject(media, err.reason, err.message);
        throw mediaRejected(err.reason, err.message);
      }
      // A store failure: nothing was decided; the client may retry at once.
      await this.media.releaseVerification(id).catch(() => undefined);
      throw err;
    }
    if (media.kind === MediaKind.IMAGE) {
      // Scheduled before the status changes, so a crash in between leaves a job that finds the
      // item verified on a later attempt, never a verified item without its job.
      await this.scheduler.schedule(DERIVATIVES_JOB, { mediaId: id }, now, { key: id });
      const verified = await this.media.markVerified(id, MediaStatus.PROCESSING, fields, this.clock.now());
      this.scheduler.poke();
      return verified ?? this.gone(id);
    }
    return (await this.media.markVerified(id, MediaStatus.READY, fields, this.clock.now())) ?? this.gone(id);
  }

  /**
   * A file made by the server itself (demo data): stored, checked and derived exactly as an upload
   * would be, without the presigned round trip; READY when this returns.
   */
  async importFile(
    ownerId: string,
    purpose: MediaPurpose,
    contentType: string,
    bytes: Buffer,
    fileName: string,
  ): Promise<Media> {
    const rules = PURPOSES[purpose];
    const type = allowedType(purpose, contentType);
    if (!type || bytes.length > rules.maxBytes || rules.multipart)
      throw new Error(`cannot import ${contentType} as ${purpose}`);
    const now = this.clock.now();
    const media = this.newMedia(
      ownerId,
      purpose,
      type.kind,
      normaliseContentType(contentType),
      bytes.length,
      fileName,
      {},
      now,
      null,
    );
    await this.media.insert(media);
    const limits = { count: this.config.MEDIA_QUOTA_COUNT, bytes: this.config.MEDIA_QUOTA_BYTES };
    await this.quota.reserve(ownerId, media.id, media.byteSize, limits, now);
    await this.objects.put(media.key, bytes, media.contentType, false);
    let fields: VerifiedFields;
    try {
      fields = await this.verify(media, []);
    } catch (err) {
      if (err instanceof Rejection) await this.removal.reject(media, err.reason, err.message);
      throw err;
    }
    const image = media.kind === MediaKind.IMAGE;
    await this.media.markVerified(
      media.id,
      image ? MediaStatus.PROCESSING : MediaStatus.READY,
      fields,
      this.clock.now(),
    );
    if (image) await this.derivatives.make(media.id);
    return (await this.media.findById(media.id)) ?? this.gone(media.id);
  }

  /** A new UPLOADING record with an unguessable key; an image's original stays private (its EXIF). */
  private newMedia(
    ownerId: string,
    purpose: MediaPurpose,
    kind: MediaKind,
    contentType: string,
    byteSize: number,
    fileName: string | null | undefined,
    context: MediaContext,
    now: Date,
    urlsExpireAt: Date | null,
  ): Media {
    const publicPurpose = PURPOSES[purpose].public;
    return {
      id: ulid(),
      ownerId,
      purpose,
      kind,
      status: MediaStatus.UPLOADING,
      contentType,
      byteSize,
      fileName: cleanFileName(fileName),
      key: originalKey(newObjectToken(), publicPurpose && kind !== MediaKind.IMAGE),
      public: publicPurpose,
      context,
      multipart: null,
      uploadExpiresAt: new Date((urlsExpireAt ?? now).getTime() + COMPLETION_GRACE_MS),
      width: null,
      height: null,
      durationSeconds: null,
      codec: null,
      blurhash: null,
      dominantColor: null,
      variants: [],
      rejection: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    };
  }

  private gone(id: string): never {
    throw new NotFoundError('Upload', id);
  }

  /** Every check of the issue, cheapest first; throws a Rejection naming the first that fails. */
  private async verify(media: Media, parts: CompletedPartInput[]): Promise<VerifiedFields> {
    if (media.multipart) {
      const done = await this.objects.completeMultipart(
        media.key,
        media.multipart.uploadId,
        [...parts].sort((a, b) => a.partNumber - b.partNumber),
      );
      if (!done.ok)
        throw new Rejection(MediaRejectionReason.UPLOAD_MISSING, `the parts could not be assembled: ${done.message}`);
    }
    const head = await this.objects.head(media.key);
    if (!head) throw new Rejection(MediaRejectionReason.UPLOAD_MISSING, 'no file was uploaded');
    if (head.size !== media.byteSize) {
      throw new Rejection(
        MediaRejectionReason.SIZE_MISMATCH,
        `the file has ${head.size} bytes, not the declared ${media.byteSize}`,
      );
    }
    const allowed = allowedType(media.purpose, media.contentType)!;
    // file-type decides from the first bytes (4100 is what it reads at most).
    const sniffed = await sniffFromBuffer(await this.objects.readStart(media.key, Math.min(head.size, 4100)));
    if (!sniffed || !allowed.sniffedAs.includes(sniffed.mime)) {
      throw new Rejection(
        MediaRejectionReason.TYPE_MISMATCH,
        sniffed
          ? `the file is ${sniffed.mime}, not the declared ${media.contentType}`
          : `the file's content is not a recognised ${media.contentType} file`,
      );
    }
    const none: VerifiedFields = {
      width: null,
      height: null,
      durationSeconds: null,
      codec: null,
      blurhash: null,
      dominantColor: null,
    };
    switch (media.kind) {
      case MediaKind.IMAGE: {
        try {
          const facts = await this.images.inspect(await this.objects.getBytes(media.key));
          return {
            ...none,
            width: facts.width,
            height: facts.height,
            blurhash: facts.blurhash,
            dominantColor: facts.dominantColor,
          };
        } catch (err) {
          if (err instanceof ImageDecodeError) {
            throw new Rejection(
              err.tooManyPixels ? MediaRejectionReason.TOO_MANY_PIXELS : MediaRejectionReason.UNREADABLE,
              err.message,
            );
          }
          throw err;
        }
      }
      case MediaKind.AUDIO:
      case MediaKind.VIDEO: {
        try {
          const open = () => this.objects.tokenizer(media.key, head.size, media.contentType);
          const facts = await probeAudioVideo(await open(), open);
          return {
            ...none,
            durationSeconds: facts.durationSeconds,
            codec: facts.codec,
            width: facts.width,
            height: facts.height,
          };
        } catch (err) {
          if (err instanceof AvProbeError) throw new Rejection(MediaRejectionReason.UNREADABLE, err.message);
          throw err;
        }
      }
      case MediaKind.DOCUMENT:
        return none;
    }
  }
}

/** Every part once, numbered 1 to partCount, with an ETag as S3 gives it. */
function checkParts(parts: CompletedPartInput[], partCount: number): void {
  const problems: FieldProblem[] = [];
  if (parts.length !== partCount) {
    problems.push({
      field: 'parts',
      message: `a multipart upload is completed with the ETag of each of its ${partCount} parts`,
    });
  }
  const seen = new Set<number>();
  parts.forEach((part, i) => {
    if (
      !Number.isInteger(part.partNumber) ||
      part.partNumber < 1 ||
      part.partNumber > partCount ||
      seen.has(part.partNumber)
    ) {
      problems.push({ field: `parts.${i}.partNumber`, message: `partNumber must be 1 to ${partCount}, each once` });
    }
    seen.add(part.partNumber);
    if (!/^"?[A-Za-z0-9-]{1,100}"?$/.test(part.etag))
      problems.push({ field: `parts.${i}.etag`, message: 'etag is not an S3 ETag' });
  });
  if (problems.length) throw new ValidationFailedError(problems);
}
