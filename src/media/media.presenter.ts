import { MediaModel } from './models/media.model';
import type { Media } from './media.types';

/** The GraphQL view of a media item; its URL fields are resolved from `record` when asked for. */
export function presentMedia(media: Media): MediaModel {
  return {
    id: media.id,
    purpose: media.purpose,
    kind: media.kind,
    status: media.status,
    contentType: media.contentType,
    byteSize: media.byteSize,
    fileName: media.fileName,
    width: media.width,
    height: media.height,
    durationSeconds: media.durationSeconds,
    codec: media.codec,
    blurhash: media.blurhash,
    dominantColor: media.dominantColor,
    rejection: media.rejection,
    createdAt: media.createdAt,
    record: media,
  };
}
