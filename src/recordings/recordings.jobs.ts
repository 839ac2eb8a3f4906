import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { ANALYSE_JOB, POLL_JOB, RETENTION_JOB, TRANSCRIBE_JOB, VENDOR_REMOVE_JOB } from './recordings.jobs-names';
import { RecordingsService } from './recordings.service';
import { TranscriptionFlowService } from './transcription-flow.service';

/** Provider outages can last: keep retrying a recording's transcription for about a day (backoff caps at an hour). */
const VENDOR_ATTEMPTS = 30;

/** The recordings feature's background work, all on the scheduler (never on a user's request). */
@Injectable()
export class RecordingsJobs implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly flow: TranscriptionFlowService,
    private readonly recordings: RecordingsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.registerHandler<{ lessonId: string }>({
      name: TRANSCRIBE_JOB,
      maxAttempts: VENDOR_ATTEMPTS,
      run: ({ lessonId }) => this.flow.submit(lessonId),
    });
    this.scheduler.registerHandler<{ lessonId: string }>({
      name: POLL_JOB,
      maxAttempts: VENDOR_ATTEMPTS,
      run: ({ lessonId }) => this.flow.poll(lessonId),
    });
    this.scheduler.registerHandler<{ lessonId: string }>({
      name: ANALYSE_JOB,
      // A 3-hour recording takes minutes; another instance may take over only after this.
      leaseSeconds: 900,
      maxAttempts: 3,
      run: ({ lessonId }) => this.flow.analyse(lessonId),
    });
    this.scheduler.registerHandler<{ jobId: string }>({
      name: VENDOR_REMOVE_JOB,
      maxAttempts: VENDOR_ATTEMPTS,
      run: ({ jobId }) => this.flow.removeVendorJob(jobId),
    });
    this.scheduler.registerPeriodic({
      name: RETENTION_JOB,
      everySeconds: this.config.RECORDING_RETENTION_SWEEP_SECONDS,
      run: () => this.recordings.sweepExpired(),
    });
  }
}
