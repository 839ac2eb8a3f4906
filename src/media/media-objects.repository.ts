import { Injectable } from '@nestjs/common';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { tokenizer as rangeTokenizer } from '@tokenizer/range';
import { AppConfig } from '../config/app-config';
import { S3Store } from '../stores/s3.store';

/** Whole-object transfers (an image of 25 MB, completing a 2 GiB multipart upload) get this long. */
const TRANSFER_TIMEOUT_MS = 120_000;
/** Range reads for sniffing and metadata parsing: at least this much per request. */
const RANGE_CHUNK = 64 * 1024;
/** Public presigned URLs are signed at the start of the UTC day, so a URL stays the same all day (cacheable). */
const PUBLIC_URL_PERIOD_MS = 86_400_000;
/** The longest a SigV4 presigned URL may live. */
const PUBLIC_URL_TTL_SECONDS = 7 * 86_400;
const URL_CACHE_LIMIT = 20_000;

/** A random-access reader of an object (strtok3's tokenizer, as file-type and music-metadata take it). */
export type ObjectTokenizer = Awaited<ReturnType<typeof rangeTokenizer>>;

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/**
 * The media objects in S3: presigned uploads (POST policies, multipart part URLs), verification
 * reads, derivative writes, removal, and the URLs clients fetch. The only code that touches them.
 */
@Injectable()
export class MediaObjectsRepository {
  /** Public URLs by key, for the current signing day (signing is cheap, but a page has hundreds). */
  private readonly publicUrls = new Map<string, string>();
  private publicUrlsDay = 0;

  constructor(
    private readonly s3: S3Store,
    private readonly config: AppConfig,
  ) {}

  /**
   * A browser-style POST upload to exactly `key`, for exactly `byteSize` bytes of `contentType`.
   * (moto does not enforce POST policies; completeUpload's verification is the guard either way.)
   */
  async presignPost(
    key: string,
    contentType: string,
    byteSize: number,
    expiresSeconds: number,
  ): Promise<PresignedPost> {
    const post = await createPresignedPost(this.s3.signer, {
      Bucket: this.s3.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', byteSize, byteSize],
        ['eq', '$Content-Type', contentType],
      ],
      Fields: { 'Content-Type': contentType },
      Expires: expiresSeconds,
    });
    return { url: post.url, fields: post.fields };
  }

  async createMultipart(key: string, contentType: string): Promise<string> {
    const res = await this.s3.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.s3.bucket, Key: key, ContentType: contentType }),
    );
    return res.UploadId!;
  }

  /** One presigned PUT URL per part (1-based part numbers). */
  presignParts(key: string, uploadId: string, partCount: number, expiresSeconds: number, now: Date): Promise<string[]> {
    return Promise.all(
      Array.from({ length: partCount }, (_, i) =>
        getSignedUrl(
          this.s3.signer,
          new UploadPartCommand({ Bucket: this.s3.bucket, Key: key, UploadId: uploadId, PartNumber: i + 1 }),
          { expiresIn: expiresSeconds, signingDate: now },
        ),
      ),
    );
  }

  /** Assembles the parts; false when S3 refuses them (missing, wrong ETag, a part too small). */
  async completeMultipart(
    key: string,
    uploadId: string,
    parts: Array<{ partNumber: number; etag: string }>,
  ): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      await this.s3.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.s3.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
        { abortSignal: AbortSignal.timeout(Math.max(TRANSFER_TIMEOUT_MS, this.s3.timeoutMs)) },
      );
      return { ok: true };
    } catch (err) {
      const name = (err as Error).name;
      if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'NoSuchUpload', 'MalformedXML'].includes(name)) {
        return { ok: false, message: `${name}: ${(err as Error).message}` };
      }
      throw err;
    }
  }

  /** Idempotent: an upload already completed or aborted is fine. */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    try {
      await this.s3.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.s3.bucket, Key: key, UploadId: uploadId }),
      );
    } catch (err) {
      if ((err as Error).name !== 'NoSuchUpload') throw err;
    }
  }

  /** Size and stored content type of an object, or null when there is none. */
  async head(key: string): Promise<{ size: number; contentType: string | null } | null> {
    try {
      const res = await this.s3.client.send(new HeadObjectCommand({ Bucket: this.s3.bucket, Key: key }));
      return { size: res.ContentLength ?? 0, contentType: res.ContentType ?? null };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if ((err as Error).name === 'NotFound' || status === 404) return null;
      throw err;
    }
  }

  /**
   * A tokenizer over the object that reads only the ranges a parser asks for (file-type reads the
   * first bytes; music-metadata the headers and index atoms, skipping the media data).
   */
  tokenizer(key: string, size: number, contentType: string): Promise<ObjectTokenizer> {
    const s3 = this.s3;
    return rangeTokenizer(
      {
        getHeadInfo: () => Promise.resolve({ size, mimeType: contentType }),
        getResponse: async (_method: string, range?: [number, number]) => {
          const res = await s3.client.send(
            new GetObjectCommand({
              Bucket: s3.bucket,
              Key: key,
              Range: range ? `bytes=${range[0]}-${range[1]}` : undefined,
            }),
          );
          const body = Buffer.from(await res.Body!.transformToByteArray());
          return {
            size,
            mimeType: contentType,
            contentRange: range
              ? { firstBytePosition: range[0], lastBytePosition: range[1], instanceLength: size }
              : undefined,
            arrayBuffer: () => Promise.resolve(body),
          };
        },
      },
      { avoidHeadRequests: false, initialChunkSize: RANGE_CHUNK, minimumChunkSize: RANGE_CHUNK },
    );
  }

  /** The first `length` bytes of an object (at least 1). */
  async readStart(key: string, length: number): Promise<Buffer> {
    const res = await this.s3.client.send(
      new GetObjectCommand({ Bucket: this.s3.bucket, Key: key, Range: `bytes=0-${Math.max(0, length - 1)}` }),
    );
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  /** The whole object (images only: their size limit keeps this bounded). */
  async getBytes(key: string): Promise<Buffer> {
    const res = await this.s3.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: key }), {
      abortSignal: AbortSignal.timeout(Math.max(TRANSFER_TIMEOUT_MS, this.s3.timeoutMs)),
    });
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async put(key: string, body: Buffer, contentType: string, publicFile: boolean): Promise<void> {
    await this.s3.client.send(
      new PutObjectCommand({
        Bucket: this.s3.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        // Keys never change content (a new upload is a new token): caches may keep them for good.
        CacheControl: publicFile ? 'public, max-age=31536000, immutable' : 'private, max-age=300',
      }),
      { abortSignal: AbortSignal.timeout(Math.max(TRANSFER_TIMEOUT_MS, this.s3.timeoutMs)) },
    );
  }

  /** Every object of a media (the original and its derivatives, public and private); returns how many. */
  async deleteAll(token: string): Promise<number> {
    let deleted = 0;
    for (const prefix of [`public/${token}/`, `private/${token}/`]) {
      for (let page = 0; page < 100; page++) {
        const listed = await this.s3.client.send(
          new ListObjectsV2Command({ Bucket: this.s3.bucket, Prefix: prefix, MaxKeys: 1000 }),
        );
        const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length === 0) break;
        await this.s3.client.send(
          new DeleteObjectsCommand({ Bucket: this.s3.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        deleted += keys.length;
        if (!listed.IsTruncated) break;
      }
    }
    return deleted;
  }

  /**
   * The stable URL of a public object: on the CDN when MEDIA_PUBLIC_BASE_URL is set, else a GET
   * presigned at the start of the UTC day for 7 days (the same URL all day, valid at least 6 more).
   */
  async publicUrl(key: string, now: Date): Promise<string> {
    const base = this.config.MEDIA_PUBLIC_BASE_URL;
    if (base) return `${base.replace(/\/$/, '')}/${key}`;
    const day = Math.floor(now.getTime() / PUBLIC_URL_PERIOD_MS) * PUBLIC_URL_PERIOD_MS;
    if (day !== this.publicUrlsDay || this.publicUrls.size >= URL_CACHE_LIMIT) {
      this.publicUrls.clear();
      this.publicUrlsDay = day;
    }
    const cached = this.publicUrls.get(key);
    if (cached) return cached;
    const url = await this.presignGet(key, new Date(day), PUBLIC_URL_TTL_SECONDS);
    this.publicUrls.set(key, url);
    return url;
  }

  /** A short-lived GET, signed now. */
  privateUrl(key: string, now: Date, ttlSeconds: number): Promise<string> {
    return this.presignGet(key, now, ttlSeconds);
  }

  private presignGet(key: string, signingDate: Date, expiresIn: number): Promise<string> {
    return getSignedUrl(this.s3.signer, new GetObjectCommand({ Bucket: this.s3.bucket, Key: key }), {
      expiresIn,
      signingDate,
    });
  }
}
