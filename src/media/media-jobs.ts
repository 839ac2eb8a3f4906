import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '@app/common';
import { AppConfig } from '../config/app-config';
import { OutboxConsumers } from '../events/outbox-consumers';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { TeachersService } from '../teachers/teachers.service';
import { ImageDecodeError } from './image-processing';
import { MediaImages } from './media-images.service';
import { MediaObjectsRepository } from './media-objects.repository';
import { MediaRemovalService } from './media-removal.service';
import { DERIVATIVES_JOB } from './media-uploads.service';
import { tokenOfKey, variantKey } from './media.keys';
import { MediaRepository } from './media.repository';
import { ImageFormat, ImageVariant, MediaRejectionReason, MediaStatus } from './media.types';

/**
 * The media feature's background work, all on the scheduler and the outbox:
 * - `media.derivatives` (delayed, one per image): the thumbnails and display size, off the request;
 * - `media.sweep` (periodic): uploads never completed, rejected records past retention, half-done removals;
 * - `media.account-deleted` (durable consumer of `account.deleted`): every media of the account.
 */
@Injectable()
export class MediaJobs implements OnModuleInit {
  private readonly logger = new Logger(MediaJobs.name);

  constructor(
    private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly consumers: OutboxConsumers,
    private readonly media: MediaRepository,
    private readonly objects: MediaObjectsRepository,
    private readonly images: MediaImages,
    private readonly removal: MediaRemovalService,
    private readonly teachers: TeachersService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.registerHandler<{ mediaId: string }>({
      name: DERIVATIVES_JOB,
      leaseSeconds: 300,
      run: ({ mediaId }) => this.makeDerivatives(mediaId),
    });
    this.scheduler.registerPeriodic({
      name: 'media.sweep',
      everySeconds: this.config.MEDIA_SWEEP_SECONDS,
      run: () => this.removal.sweep(),
    });
    this.consumers.register('media.account-deleted', ['account.deleted'], async (event) => {
      const { userId } = event.payload;
      await this.teachers.clearProfileMedia(userId);
      const { done } = await this.removal.removeAllOf(userId);
      // Delivery is retried until every media of the account is gone.
      if (!done) throw new Error(`media of ${userId} remain; continuing on the next delivery`);
    });
  }

  /** Makes and stores the derivatives of a verified image; idempotent (same keys, same content). */
  async makeDerivatives(mediaId: string): Promise<void> {
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
