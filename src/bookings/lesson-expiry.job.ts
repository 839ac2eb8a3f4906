import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '@app/common';
import { AppConfig } from '../config/app-config';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { LessonsService } from './lessons.service';

/**
 * Expires PENDING requests whose time is up and frees their slots: the periodic job
 * `lessons.expire-pending` on the scheduler (one instance per period). A request acted on after its
 * time is expired by that action itself (LessonsService.notOverdue), so the sweep is not urgent.
 */
@Injectable()
export class LessonExpiryJob implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly lessons: LessonsService,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.registerPeriodic({
      name: 'lessons.expire-pending',
      everySeconds: this.config.LESSON_EXPIRY_SWEEP_SECONDS,
      run: (now) => this.sweep(now),
    });
  }

  /** Expires every due request (also called directly by tests); returns how many. */
  async sweep(now = this.clock.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.lessons.expireDue(now, 100);
      total += expired;
      if (expired < 100) return total;
    }
  }
}
