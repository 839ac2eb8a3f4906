import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { MEDIA_MODEL, MediaDocument } from './media.schema';
import { ImageVariant, Media, MediaKind, MediaPurpose, MediaRejectionReason, MediaStatus } from './media.types';

function toMedia(doc: MediaDocument): Media {
  return {
    id: doc._id,
    ownerId: doc.ownerId,
    purpose: doc.purpose as MediaPurpose,
    kind: doc.kind as MediaKind,
    status: doc.status as MediaStatus,
    contentType: doc.contentType,
    byteSize: doc.byteSize,
    fileName: doc.fileName ?? null,
    key: doc.key,
    public: doc.public,
    context: {
      ...(doc.context?.lessonId ? { lessonId: doc.context.lessonId } : {}),
      ...(doc.context?.conversationId ? { conversationId: doc.context.conversationId } : {}),
    },
    multipart: doc.multipart
      ? { uploadId: doc.multipart.uploadId, partSize: doc.multipart.partSize, partCount: doc.multipart.partCount }
      : null,
    uploadExpiresAt: doc.uploadExpiresAt,
    width: doc.width ?? null,
    height: doc.height ?? null,
    durationSeconds: doc.durationSeconds ?? null,
    codec: doc.codec ?? null,
    blurhash: doc.blurhash ?? null,
    dominantColor: doc.dominantColor ?? null,
    variants: (doc.variants ?? []).map((v) => ({ ...v })),
    rejection: doc.rejection ? { reason: doc.rejection.reason, message: doc.rejection.message } : null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    completedAt: doc.completedAt ?? null,
  };
}

function toDocument(media: Media): MediaDocument {
  return {
    _id: media.id,
    ownerId: media.ownerId,
    purpose: media.purpose,
    kind: media.kind,
    status: media.status,
    contentType: media.contentType,
    byteSize: media.byteSize,
    fileName: media.fileName,
    key: media.key,
    public: media.public,
    context: media.context,
    multipart: media.multipart,
    uploadExpiresAt: media.uploadExpiresAt,
    width: media.width,
    height: media.height,
    durationSeconds: media.durationSeconds,
    codec: media.codec,
    blurhash: media.blurhash,
    dominantColor: media.dominantColor,
    variants: media.variants,
    rejection: media.rejection,
    deleting: false,
    verifyLeaseUntil: null,
    createdAt: media.createdAt,
    updatedAt: media.updatedAt,
    completedAt: media.completedAt,
  };
}

/** What verification learnt about a file. */
export interface VerifiedFields {
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  codec: string | null;
  blurhash: string | null;
  dominantColor: string | null;
}

/** Media metadata in MongoDB: the only code that touches the collection. */
@Injectable()
export class MediaRepository {
  constructor(@InjectModel(MEDIA_MODEL) private readonly model: Model<MediaDocument>) {}

  async insert(media: Media): Promise<void> {
    await this.model.collection.insertOne(toDocument(media) as never);
  }

  /** A live item (null when missing or being removed). */
  async findById(id: string): Promise<Media | null> {
    const doc = await this.model.findOne({ _id: id, deleting: false }).lean<MediaDocument>();
    return doc ? toMedia(doc) : null;
  }

  /** One query for a loader batch: results in key order, null where missing or being removed. */
  async findByIds(ids: readonly string[]): Promise<Array<Media | null>> {
    const docs = await this.model.find({ _id: { $in: [...new Set(ids)] }, deleting: false }).lean<MediaDocument[]>();
    const byId = new Map(docs.map((d) => [d._id, toMedia(d)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Binds READY chat attachments of `ownerId` to a conversation: those not bound yet, or bound to
   * it already (a retry). Answers how many of `ids` are now bound to it; fewer means one was
   * deleted, or sent in another conversation, since it was checked.
   */
  async bindToConversation(
    ids: readonly string[],
    ownerId: string,
    conversationId: string,
    now: Date,
  ): Promise<number> {
    const result = await this.model.updateMany(
      {
        _id: { $in: [...new Set(ids)] },
        ownerId,
        purpose: MediaPurpose.CHAT_ATTACHMENT,
        status: MediaStatus.READY,
        deleting: false,
        $or: [{ 'context.conversationId': null }, { 'context.conversationId': conversationId }],
      },
      { $set: { 'context.conversationId': conversationId, updatedAt: now } },
    );
    return result.matchedCount;
  }

  /**
   * Leases an UPLOADING item of `ownerId` for verification, so concurrent completeUpload calls
   * verify once; null when it is not (or no longer) UPLOADING or another call holds the lease.
   */
  async claimForVerification(id: string, ownerId: string, now: Date, leaseUntil: Date): Promise<Media | null> {
    const doc = await this.model
      .findOneAndUpdate(
        {
          _id: id,
          ownerId,
          deleting: false,
          status: MediaStatus.UPLOADING,
          $or: [{ verifyLeaseUntil: null }, { verifyLeaseUntil: { $lt: now } }],
        },
        { $set: { verifyLeaseUntil: leaseUntil } },
        { returnDocument: 'after' },
      )
      .lean<MediaDocument>();
    return doc ? toMedia(doc) : null;
  }

  /** Verification passed: PROCESSING (images, derivatives to make) or READY. Null if it was not UPLOADING. */
  async markVerified(
    id: string,
    status: MediaStatus.PROCESSING | MediaStatus.READY,
    fields: VerifiedFields,
    now: Date,
  ): Promise<Media | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, status: MediaStatus.UPLOADING, deleting: false },
        { $set: { ...fields, status, completedAt: now, updatedAt: now, verifyLeaseUntil: null } },
        { returnDocument: 'after' },
      )
      .lean<MediaDocument>();
    return doc ? toMedia(doc) : null;
  }

  /** The file failed verification; the record stays (with the reason) until `keepUntil`. */
  async markRejected(
    id: string,
    rejection: { reason: MediaRejectionReason; message: string },
    now: Date,
    keepUntil: Date,
  ): Promise<Media | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: [MediaStatus.UPLOADING, MediaStatus.PROCESSING] }, deleting: false },
        {
          $set: {
            status: MediaStatus.REJECTED,
            rejection,
            uploadExpiresAt: keepUntil,
            updatedAt: now,
            variants: [],
            verifyLeaseUntil: null,
          },
        },
        { returnDocument: 'after' },
      )
      .lean<MediaDocument>();
    return doc ? toMedia(doc) : null;
  }

  /** Lets another completeUpload try again (verification stopped on a store failure). */
  async releaseVerification(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { verifyLeaseUntil: null } });
  }

  /** Derivatives made: READY. Null if the item is no longer PROCESSING (deleted meanwhile). */
  async markReady(id: string, variants: ImageVariant[], now: Date): Promise<Media | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, status: MediaStatus.PROCESSING, deleting: false },
        { $set: { status: MediaStatus.READY, variants, updatedAt: now } },
        { returnDocument: 'after' },
      )
      .lean<MediaDocument>();
    return doc ? toMedia(doc) : null;
  }

  /**
   * Marks the item as being removed (readers no longer see it) and returns it, also when an
   * earlier removal stopped half way (so it can be finished); null when it is gone.
   */
  async markDeleting(id: string, now: Date, ownerId?: string): Promise<Media | null> {
    const filter: Record<string, unknown> = { _id: id };
    if (ownerId !== undefined) filter.ownerId = ownerId;
    const doc = await this.model
      .findOneAndUpdate(filter, { $set: { deleting: true, updatedAt: now } }, { returnDocument: 'after' })
      .lean<MediaDocument>();
    return doc ? toMedia(doc) : null;
  }

  /** Marks an expired item (upload never completed, or rejected past its retention) as being removed. */
  async markExpiredDeleting(id: string, now: Date): Promise<Media | null> {
    const doc = await this.model
      .findOneAndUpdate(
        {
          _id: id,
          deleting: false,
          status: { $in: [MediaStatus.UPLOADING, MediaStatus.REJECTED] },
          uploadExpiresAt: { $lt: now },
          $or: [{ verifyLeaseUntil: null }, { verifyLeaseUntil: { $lt: now } }],
        },
        { $set: { deleting: true, updatedAt: now } },
        { returnDocument: 'after' },
      )
      .lean<MediaDocument>();
    return doc ? toMedia(doc) : null;
  }

  async remove(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }

  /** Ids the sweep should look at: expired uploads and rejections, and removals left half done. */
  async sweepCandidates(now: Date, stuckBefore: Date, limit: number): Promise<{ expired: string[]; stuck: string[] }> {
    const [expired, stuck] = await Promise.all([
      this.model
        .find(
          { status: { $in: [MediaStatus.UPLOADING, MediaStatus.REJECTED] }, uploadExpiresAt: { $lt: now } },
          { _id: 1 },
        )
        .limit(limit)
        .lean<Array<{ _id: string }>>(),
      this.model
        .find({ deleting: true, updatedAt: { $lt: stuckBefore } }, { _id: 1 })
        .limit(limit)
        .lean<Array<{ _id: string }>>(),
    ]);
    return { expired: expired.map((d) => d._id), stuck: stuck.map((d) => d._id) };
  }

  /** Ids of a user's media (any state), at most `limit`: account deletion works through them in batches. */
  async idsOfOwner(ownerId: string, limit: number): Promise<string[]> {
    const docs = await this.model.find({ ownerId }, { _id: 1 }).limit(limit).lean<Array<{ _id: string }>>();
    return docs.map((d) => d._id);
  }
}
