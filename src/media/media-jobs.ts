import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { OutboxConsumers } from '../events/outbox-consumers';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { TeachersService } from '../teachers/teachers.service';
import { MediaDerivativesService } from './media-derivatives.service';
import { MediaRemovalService } from './media-removal.service';
import { DERIVATIVES_JOB } from './media-uploads.service';

/**
 * The media feature's background work, all on the scheduler and the outbox:
 * - `media.derivatives` (delayed, one per image): the thumbnails and display size, off the request;
 * - `media.sweep` (periodic): uploads never completed, rejected records past retention, half-done removals;
 * - `media.account-deleted` (durable consumer of `account.deleted`): every media of the account.
 */
@Injectable()
export class MediaJobs implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly consumers: OutboxConsumers,
    private readonly derivatives: MediaDerivativesService,
    private readonly removal: MediaRemovalService,
    private readonly teachers: TeachersService,
  ) {}

  onModuleInit(): void {
    this.scheduler.registerHandler<{ mediaId: string }>({
      name: DERIVATIVES_JOB,
      leaseSeconds: 300,
      run: ({ mediaId }) => this.derivatives.make(mediaId),
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
}
