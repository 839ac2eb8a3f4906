import { registerEnumType } from '@nestjs/graphql';

/** What an upload is for: decides the allowed types, the size limit and who may see it. */
export enum MediaPurpose {
  AVATAR = 'AVATAR',
  PROFILE_PHOTO = 'PROFILE_PHOTO',
  PROFILE_VIDEO = 'PROFILE_VIDEO',
  PROFILE_AUDIO = 'PROFILE_AUDIO',
  CHAT_ATTACHMENT = 'CHAT_ATTACHMENT',
  LESSON_RECORDING = 'LESSON_RECORDING',
}
registerEnumType(MediaPurpose, {
  name: 'MediaPurpose',
  description:
    'What a file is for. AVATAR and PROFILE_* are public once ready; CHAT_ATTACHMENT and LESSON_RECORDING are private.',
  valuesMap: {
    AVATAR: { description: "A user's picture (JPEG, PNG or WebP, up to 10 MiB), public." },
    PROFILE_PHOTO: {
      description: 'A teacher profile photo or gallery picture (JPEG, PNG or WebP, up to 25 MiB), public.',
    },
    PROFILE_VIDEO: { description: "A teacher's introduction video (MP4, QuickTime or WebM, up to 500 MiB), public." },
    PROFILE_AUDIO: {
      description: 'A sound clip of a teacher (MP3, M4A, WAV, Ogg, FLAC or WebM, up to 100 MiB), public.',
    },
    CHAT_ATTACHMENT: {
      description:
        'A file for a chat message (image, audio, video or PDF, up to 25 MiB), private: once sent, visible to both participants.',
    },
    LESSON_RECORDING: {
      description: "A lesson's recording (up to 2 GiB, multipart), private to the lesson's teacher and student.",
    },
  },
});

export enum MediaStatus {
  /** Created by createUpload; the client uploads the file to S3, then calls completeUpload. */
  UPLOADING = 'UPLOADING',
  /** Verified; image derivatives are being made (images only, a few seconds). */
  PROCESSING = 'PROCESSING',
  READY = 'READY',
  /** The file failed verification and was removed; `rejection` says why. */
  REJECTED = 'REJECTED',
}
registerEnumType(MediaStatus, {
  name: 'MediaStatus',
  description: 'Where a media item is in its life: UPLOADING, then PROCESSING (images), then READY; or REJECTED.',
  valuesMap: {
    UPLOADING: { description: 'Created by createUpload; the file goes to storage, then completeUpload.' },
    PROCESSING: { description: 'Verified; image derivatives are being made (a few seconds).' },
    READY: { description: 'Verified and usable; its URLs are set.' },
    REJECTED: { description: 'The file failed verification and was removed; rejection says why.' },
  },
});

/** Why a file was refused by completeUpload (also `extensions.reason` of the CONFLICT error). */
export enum MediaRejectionReason {
  /** Nothing was uploaded (or not all parts of a multipart upload). */
  UPLOAD_MISSING = 'UPLOAD_MISSING',
  /** The uploaded size differs from the declared byteSize. */
  SIZE_MISMATCH = 'SIZE_MISMATCH',
  /** The file's content is another type than the declared contentType. */
  TYPE_MISMATCH = 'TYPE_MISMATCH',
  /** The file is truncated or corrupt: it does not decode. */
  UNREADABLE = 'UNREADABLE',
  /** The image has more pixels than the server decodes (MEDIA_MAX_IMAGE_PIXELS). */
  TOO_MANY_PIXELS = 'TOO_MANY_PIXELS',
}
registerEnumType(MediaRejectionReason, {
  name: 'MediaRejectionReason',
  description: 'Why completeUpload refused a file (also extensions.reason of its CONFLICT error).',
  valuesMap: {
    UPLOAD_MISSING: { description: 'Nothing was uploaded (or not every part of a multipart upload).' },
    SIZE_MISMATCH: { description: 'The uploaded size differs from the declared byteSize.' },
    TYPE_MISMATCH: { description: "The file's content is another type than the declared contentType." },
    UNREADABLE: { description: 'The file is truncated or corrupt: it does not decode.' },
    TOO_MANY_PIXELS: { description: 'The image has more pixels than the server decodes.' },
  },
});

export enum MediaKind {
  IMAGE = 'IMAGE',
  AUDIO = 'AUDIO',
  VIDEO = 'VIDEO',
  DOCUMENT = 'DOCUMENT',
}
registerEnumType(MediaKind, {
  name: 'MediaKind',
  description: 'The kind of content, from the content type.',
  valuesMap: {
    IMAGE: { description: 'A picture: gets variants, dimensions and a blurhash.' },
    AUDIO: { description: 'Sound: gets a duration and codec.' },
    VIDEO: { description: 'Video: gets dimensions, a duration and codec.' },
    DOCUMENT: { description: 'Anything else a chat attachment may be (e.g. a PDF score).' },
  },
});

/** The sizes of image derivatives: square thumbnails and a display size that keeps the aspect ratio. */
export enum ImageSize {
  THUMB_128 = 'THUMB_128',
  THUMB_512 = 'THUMB_512',
  DISPLAY_1600 = 'DISPLAY_1600',
}
registerEnumType(ImageSize, {
  name: 'ImageSize',
  description: 'THUMB_128 and THUMB_512 are square crops; DISPLAY_1600 fits within 1600 × 1600 (never enlarged).',
  valuesMap: {
    THUMB_128: { description: '128 × 128 square crop.' },
    THUMB_512: { description: '512 × 512 square crop.' },
    DISPLAY_1600: { description: 'The whole picture within 1600 × 1600.' },
  },
});

export enum ImageFormat {
  WEBP = 'WEBP',
  JPEG = 'JPEG',
}
registerEnumType(ImageFormat, {
  name: 'ImageFormat',
  description: 'The encoding of an image variant.',
  valuesMap: {
    WEBP: { description: 'WebP: smaller, for clients that decode it.' },
    JPEG: { description: 'JPEG: decodes everywhere.' },
  },
});

export interface ImageVariant {
  size: ImageSize;
  format: ImageFormat;
  key: string;
  width: number;
  height: number;
  byteSize: number;
}

export interface MultipartUpload {
  uploadId: string;
  partSize: number;
  partCount: number;
}

/** What a lesson recording or chat attachment belongs to: decides who may see it. */
export interface MediaContext {
  lessonId?: string;
  /** A chat attachment: the conversation its message was sent in (set when the message is sent). */
  conversationId?: string;
}

/** A media item as the services see it. */
export interface Media {
  id: string;
  ownerId: string;
  purpose: MediaPurpose;
  kind: MediaKind;
  status: MediaStatus;
  contentType: string;
  byteSize: number;
  fileName: string | null;
  /** The uploaded object (never served for images: their derivatives carry no EXIF). */
  key: string;
  /** Under `public/` (a CDN may serve it) or `private/` (presigned GETs for allowed viewers only). */
  public: boolean;
  context: MediaContext;
  multipart: MultipartUpload | null;
  /** Until when the upload may be completed; the sweep removes it afterwards. */
  uploadExpiresAt: Date;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  codec: string | null;
  blurhash: string | null;
  dominantColor: string | null;
  variants: ImageVariant[];
  rejection: { reason: MediaRejectionReason; message: string } | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}
