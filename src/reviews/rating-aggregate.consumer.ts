import { Injectable, OnModuleInit } from '@nestjs/common';
import { OutboxConsumers } from '../events/outbox-consumers';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { ReviewsService } from './reviews.service';

/**
 * Keeps every teacher's rating equal to their visible reviews: a durable consumer of `review.*`
 * (delivered at least once; the recomputation is idempotent) and a daily repair job that
 * recomputes them all, for whatever a crash between a review write and its event left behind.
 */
@Injectable()
export class RatingAggregateConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly scheduler: JobScheduler,
    private readonly reviews: ReviewsService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      'reviews.rating-aggregate',
      ['review.created', 'review.hidden', 'review.unhidden'],
      async (event) => {
        await this.reviews.recomputeRating(event.payload.teacherId);
      },
    );
    this.scheduler.registerPeriodic({
      name: 'reviews.rating-repair',
      everySeconds: 86_400,
      run: () => this.reviews.recomputeAllRatings(),
    });
  }
}
