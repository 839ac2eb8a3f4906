import { Schema } from 'mongoose';
import type { ImageVariant, MediaContext, MediaRejectionReason, MultipartUpload } from './media.types';

export const MEDIA_MODEL = 'Media';

/** A stored media item (metadata; the bytes are in S3). */
export interface MediaDocument {
  _id: string;
  ownerId: string;
  purpose: string;
  kind: string;
  status: string;
  contentType: string;
  byteSize: number;
  fileName: string | null;
  key: string;
  public: boolean;
  context: MediaContext;
  multipart: MultipartUpload | null;
  uploadExpiresAt: Date;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  codec: string | null;
  blurhash: string | null;
  dominantColor: string | null;
  variants: ImageVariant[];
  rejection: { reason: MediaRejectionReason; message: string } | null;
  /** Set while the item is being removed (delete, expiry, account deletion): readers treat it as gone. */
  deleting: boolean;
  /** While a completeUpload verifies the file: concurrent calls (and the sweep) leave it alone until then. */
  verifyLeaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

const sub = { _id: false } as const;

export const MediaSchema = new Schema<MediaDocument>(
  {
    _id: { type: String, required: true },
    ownerId: { type: String, required: true },
    purpose: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true },
    contentType: { type: String, required: true },
    byteSize: { type: Number, required: true },
    fileName: { type: String, default: null },
    key: { type: String, required: true },
    public: { type: Boolean, required: true },
    context: { type: new Schema({ lessonId: String, conversationId: String }, sub), default: {} },
    multipart: {
      type: new Schema({ uploadId: String, partSize: Number, partCount: Number }, sub),
      default: null,
    },
    uploadExpiresAt: { type: Date, required: true },
    width: { type: Number, default: null },
    height: { type: Number, default: null },
    durationSeconds: { type: Number, default: null },
    codec: { type: String, default: null },
    blurhash: { type: String, default: null },
    dominantColor: { type: String, default: null },
    variants: [
      new Schema({ size: String, format: String, key: String, width: Number, height: Number, byteSize: Number }, sub),
    ],
    rejection: { type: new Schema({ reason: String, message: String }, sub), default: null },
    deleting: { type: Boolean, default: false },
    verifyLeaseUntil: { type: Date, default: null },
    createdAt: Date,
    updatedAt: Date,
    completedAt: { type: Date, default: null },
  },
  { collection: 'media', versionKey: false, minimize: false },
);

// A user's media (account deletion, listing), newest first.
MediaSchema.index({ ownerId: 1, createdAt: -1, _id: -1 });
// The sweep: uploads never completed, rejected items past their retention, removals left half done.
MediaSchema.index({ status: 1, uploadExpiresAt: 1 });
MediaSchema.index({ deleting: 1, updatedAt: 1 });
