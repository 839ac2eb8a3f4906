import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@app/common';
import { AppConfig } from '../config/app-config';
import { LessonsService } from './lessons.service';

/**
 * Expires PENDING requests whose time is up and frees their slots. Runs on every instance; the
 * transitions are conditional, so two instances expiring the same request is harmless.
 */
@Injectable()
export class LessonExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LessonExpiryJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly config: AppConfig,
    private readonly lessons: LessonsService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.sweep().catch((err) => this.logger.error(`expiry sweep failed: ${(err as Error).message}`)),
      this.config.LESSON_EXPIRY_SWEEP_SECONDS * 1000,
    );
    this.timer.unref();
  }

  /** One sweep (also called directly by tests); sweeps never overlap. */
  sweep(now = this.clock.now()): Promise<number> {
    this.running ??= this.sweepAll(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.lessons.expireDue(now, 100);
      total += expired;
      if (expired < 100) return total;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
