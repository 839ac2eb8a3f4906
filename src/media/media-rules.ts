import { MediaKind, MediaPurpose } from './media.types';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** S3 refuses parts below 5 MiB (except the last) and above 10,000 parts. */
export const MIN_PART_SIZE = 5 * MiB;
const MAX_PARTS = 10_000;
/** Parts per upload we aim at: few URLs for the client to hold, parts small enough to retry. */
const TARGET_PARTS = 100;

/** A declared content type: what its file must sniff as, and how it is checked. */
interface AllowedType {
  kind: MediaKind;
  /** MIME types `file-type` reports for files of this type (it has its own names for some). */
  sniffedAs: readonly string[];
}

const IMAGE_TYPES: Record<string, AllowedType> = {
  'image/jpeg': { kind: MediaKind.IMAGE, sniffedAs: ['image/jpeg'] },
  'image/png': { kind: MediaKind.IMAGE, sniffedAs: ['image/png'] },
  'image/webp': { kind: MediaKind.IMAGE, sniffedAs: ['image/webp'] },
};
const AUDIO_TYPES: Record<string, AllowedType> = {
  'audio/mpeg': { kind: MediaKind.AUDIO, sniffedAs: ['audio/mpeg'] },
  'audio/mp4': { kind: MediaKind.AUDIO, sniffedAs: ['audio/x-m4a', 'audio/mp4', 'video/mp4'] },
  'audio/wav': { kind: MediaKind.AUDIO, sniffedAs: ['audio/vnd.wave', 'audio/wav', 'audio/x-wav'] },
  'audio/ogg': { kind: MediaKind.AUDIO, sniffedAs: ['audio/ogg', 'audio/opus'] },
  'audio/flac': { kind: MediaKind.AUDIO, sniffedAs: ['audio/x-flac', 'audio/flac'] },
  'audio/webm': { kind: MediaKind.AUDIO, sniffedAs: ['video/webm', 'audio/webm'] },
};
const VIDEO_TYPES: Record<string, AllowedType> = {
  'video/mp4': { kind: MediaKind.VIDEO, sniffedAs: ['video/mp4', 'video/x-m4v'] },
  'video/quicktime': { kind: MediaKind.VIDEO, sniffedAs: ['video/quicktime'] },
  'video/webm': { kind: MediaKind.VIDEO, sniffedAs: ['video/webm'] },
};
const DOCUMENT_TYPES: Record<string, AllowedType> = {
  'application/pdf': { kind: MediaKind.DOCUMENT, sniffedAs: ['application/pdf'] },
};

export interface PurposeRules {
  types: Record<string, AllowedType>;
  maxBytes: number;
  /** Public media live under `public/` and get stable URLs; private ones only presigned GETs for allowed viewers. */
  public: boolean;
  /** Uploaded in parts (S3 multipart) with presigned part URLs, for files beyond one POST's comfort. */
  multipart: boolean;
  /** Needs a context (a lesson) that decides who may see it. */
  needsLesson: boolean;
}

/** The rules of each purpose (README "Media, for client developers" lists them). */
export const PURPOSES: Record<MediaPurpose, PurposeRules> = {
  [MediaPurpose.AVATAR]: { types: IMAGE_TYPES, maxBytes: 10 * MiB, public: true, multipart: false, needsLesson: false },
  [MediaPurpose.PROFILE_PHOTO]: {
    types: IMAGE_TYPES,
    maxBytes: 25 * MiB,
    public: true,
    multipart: false,
    needsLesson: false,
  },
  [MediaPurpose.PROFILE_VIDEO]: {
    types: VIDEO_TYPES,
    maxBytes: 500 * MiB,
    public: true,
    multipart: false,
    needsLesson: false,
  },
  [MediaPurpose.PROFILE_AUDIO]: {
    types: AUDIO_TYPES,
    maxBytes: 100 * MiB,
    public: true,
    multipart: false,
    needsLesson: false,
  },
  [MediaPurpose.CHAT_ATTACHMENT]: {
    types: { ...IMAGE_TYPES, ...AUDIO_TYPES, ...VIDEO_TYPES, ...DOCUMENT_TYPES },
    maxBytes: 25 * MiB,
    public: false,
    multipart: false,
    needsLesson: false,
  },
  [MediaPurpose.LESSON_RECORDING]: {
    types: { ...AUDIO_TYPES, ...VIDEO_TYPES },
    maxBytes: 2 * GiB,
    public: false,
    multipart: true,
    needsLesson: true,
  },
};

/** The content type as the client declares it, compared without parameters and case. */
export function normaliseContentType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

export function allowedType(purpose: MediaPurpose, contentType: string): AllowedType | undefined {
  return PURPOSES[purpose].types[normaliseContentType(contentType)];
}

/** Part size for a multipart upload: at least 5 MiB, about TARGET_PARTS parts, whole MiB. */
export function partSizeFor(byteSize: number): number {
  const wanted = Math.max(MIN_PART_SIZE, Math.ceil(byteSize / TARGET_PARTS));
  const size = Math.ceil(wanted / MiB) * MiB;
  if (Math.ceil(byteSize / size) > MAX_PARTS) throw new Error('too many parts');
  return size;
}

/** A file name safe to keep and to show (no paths, no control characters), at most 200 characters. */
export function cleanFileName(fileName: string | null | undefined): string | null {
  if (!fileName) return null;
  const base = fileName.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean ? clean.slice(0, 200) : null;
}
