import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common';
import { ImageDecodeError } from './image-processing';
import { MediaImages } from './media-images.service';
import { MediaObjectsRepository } from './media-objects.repository';
import { MediaRemovalService } from './media-removal.service';
import { tokenOfKey, variantKey } from './media.keys';
import { MediaRepository } from './media.repository';
import { ImageFormat, ImageVariant, MediaRejectionReason, MediaStatus } from './media.types';

/** Image derivatives: made once an image is verified (the `media.derivatives` job, or inline for demo data). */
@Injectable()
export class MediaDerivativesService {
  private readonly logger = new Logger(MediaDerivativesService.name);

  constructor(
    private readonly media: MediaRepository,
    private readonly objects: MediaObjectsRepository,
    private readonly images: MediaImages,
    private readonly removal: MediaRemovalService,
    private readonly clock: Clock,
  ) {}

  /** Makes and stores the derivatives of a verified image; idempotent (same keys, same content). */
  async make(mediaId: string): Promise<void> {
    const media = await this.media.findById(mediaId);
    if (!media) return; // deleted meanwhile
    if (media.status === MediaStatus.UPLOADING) throw new Error(`media ${mediaId} is not verified yet`);
    if (media.status !== MediaStatus.PROCESSING) return;
    let derivatives;
    try {
      derivatives = await this.images.derive(await this.objects.getBytes(media.key));
    } catch (err) {
      if (!(err instanceof ImageDecodeError)) throw err;
      await this.removal.reject(media, MediaRejectionReason.UNREADABLE, err.message);
      return;
    }
    const token = tokenOfKey(media.key);
    const variants: ImageVariant[] = [];
    for (const d of derivatives) {
      const key = variantKey(token, media.public, d.size, d.format);
      await this.objects.put(key, d.body, d.format === ImageFormat.WEBP ? 'image/webp' : 'image/jpeg', media.public);
      variants.push({ size: d.size, format: d.format, key, width: d.width, height: d.height, byteSize: d.body.length });
    }
    const ready = await this.media.markReady(mediaId, variants, this.clock.now());
    if (!ready) {
      // Deleted while we worked: its removal may have emptied the bucket before our writes.
      const stillThere = await this.media.findById(mediaId);
      if (!stillThere) await this.objects.deleteAll(token);
      this.logger.log(`derivatives of ${mediaId} dropped: the media was removed meanwhile`);
    }
  }
}
