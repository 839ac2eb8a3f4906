import { randomBytes } from 'node:crypto';
import type { ItemKey } from '@app/dynamo';
import { ImageFormat, ImageSize } from './media.types';

/**
 * Where a media item's objects live in the bucket: `<visibility>/<token>/...`, with a token of 128
 * random bits, so no key can be guessed from an id, an owner or a time. `public/` is the only
 * prefix a CDN (MEDIA_PUBLIC_BASE_URL) may serve; an image's original stays under `private/` even
 * for public purposes, because only its derivatives are stripped of EXIF (GPS included).
 */
export function newObjectToken(): string {
  return randomBytes(16).toString('base64url');
}

export const originalKey = (token: string, publicFile: boolean) =>
  `${publicFile ? 'public' : 'private'}/${token}/original`;

export const variantKey = (token: string, publicVariants: boolean, size: ImageSize, format: ImageFormat) =>
  `${publicVariants ? 'public' : 'private'}/${token}/${size.toLowerCase()}.${format === ImageFormat.WEBP ? 'webp' : 'jpg'}`;

/** The token of an object key made by the functions above. */
export const tokenOfKey = (key: string) => key.split('/')[1];

/** Per-user media quota counter (count and bytes in use), and one reservation item per media. */
export const quotaKey = (userId: string): ItemKey => ({ PK: `USER#${userId}`, SK: 'MEDIA_QUOTA' });
export const reservationKey = (userId: string, mediaId: string): ItemKey => ({
  PK: `USER#${userId}`,
  SK: `MEDIA#${mediaId}`,
});
