import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common';
import { AppConfig } from '../config/app-config';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { MediaService } from '../media/media.service';
import { analyseLesson, SilentAudioError } from './analysis/lesson-analysis';
import { RecordingState } from './recording.types';
import { ANALYSE_JOB, POLL_JOB } from './recordings.jobs-names';
import { RecordingUpdates } from './recording-updates.service';
import { RecordingsRepository } from './recordings.repository';
import { callbackToken, callbackTokenValid } from './transcription/callback-signature';
import {
  TRANSCRIPTION_PROVIDER,
  TranscriptionRefusedError,
  type TranscriptionProvider,
  TranscriptionUnavailableError,
} from './transcription/transcription.port';

export const CALLBACK_PATH = '/recordings/transcription-callback';

/**
 * The recording's way through transcription and analysis, as jobs on the scheduler (state in
 * MongoDB, jobs in DynamoDB: a restart resumes where it stopped):
 * submit → (callback | poll every TRANSCRIPTION_POLL_SECONDS) → transcript stored → analysis → READY.
 * A provider outage makes the job fail and the scheduler retry it with backoff, and the
 * recording shows `retrying`; a refusal or rejection ends in FAILED with the provider's reason.
 */
@Injectable()
export class TranscriptionFlowService {
  private readonly logger = new Logger(TranscriptionFlowService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly recordings: RecordingsRepository,
    private readonly media: MediaService,
    private readonly scheduler: JobScheduler,
    private readonly updates: RecordingUpdates,
    @Inject(TRANSCRIPTION_PROVIDER) private readonly provider: TranscriptionProvider,
  ) {}

  async submit(lessonId: string): Promise<void> {
    const recording = await this.recordings.get(lessonId);
    if (!recording || recording.state !== RecordingState.TRANSCRIBING || recording.jobId) return;
    const file = await this.media.find(recording.mediaId);
    const url = file && (await this.media.url(file));
    if (!url) {
      await this.recordings.failed(
        lessonId,
        RecordingState.TRANSCRIBING,
        'the recording file is gone',
        this.clock.now(),
      );
      return;
    }
    const callback = new URL(`${this.config.publicBaseUrl}${CALLBACK_PATH}`);
    callback.searchParams.set('lesson', lessonId);
    const submitted = await this.vendor(lessonId, () =>
      this.provider.submit({
        audioUrl: url.url,
        language: recording.language,
        callback: {
          url: callback.toString(),
          authorization: `Bearer ${callbackToken(this.config.speechmaticsCallbackSecret, lessonId)}`,
        },
      }),
    );
    if (!submitted) return;
    const now = this.clock.now();
    const stored = await this.recordings.submitted(lessonId, this.provider.name, submitted.jobId, now);
    if (!stored) {
      // Deleted meanwhile: the provider's copy goes too.
      await this.provider.remove(submitted.jobId).catch(() => undefined);
      return;
    }
    if (recording.retryingSince) await this.updates.published(stored);
    await this.schedulePoll(lessonId, this.config.TRANSCRIPTION_POLL_SECONDS);
  }

  /** The provider says the job ended: check now instead of at the next poll. False when the token is wrong. */
  async callback(lessonId: string, authorization: string | undefined): Promise<boolean> {
    if (!callbackTokenValid(this.config.speechmaticsCallbackSecret, lessonId, authorization)) return false;
    await this.schedulePoll(lessonId, 0);
    this.scheduler.poke();
    return true;
  }

  async poll(lessonId: string): Promise<void> {
    const recording = await this.recordings.get(lessonId);
    if (!recording || recording.state !== RecordingState.TRANSCRIBING || !recording.jobId) return;
    const jobId = recording.jobId;
    const status = await this.vendor(lessonId, () => this.provider.status(jobId));
    if (!status) return;
    if (status.state === 'RUNNING') {
      await this.schedulePoll(lessonId, this.config.TRANSCRIPTION_POLL_SECONDS);
      return;
    }
    if (status.state === 'REJECTED') {
      await this.updates.published(
        await this.recordings.failed(lessonId, RecordingState.TRANSCRIBING, status.reason, this.clock.now()),
      );
      return;
    }
    const transcript = await this.vendor(lessonId, () => this.provider.transcript(jobId));
    if (!transcript) return;
    const transcribed = await this.recordings.transcribed(lessonId, transcript, this.clock.now());
    await this.updates.published(transcribed);
    if (transcribed) {
      await this.scheduler.schedule(ANALYSE_JOB, { lessonId }, this.clock.now(), { key: lessonId });
      this.scheduler.poke();
    }
  }

  /** Our analysis: ffmpeg streams the file from a presigned URL; nothing of it is held whole. */
  async analyse(lessonId: string): Promise<void> {
    const recording = await this.recordings.get(lessonId);
    if (!recording || recording.state !== RecordingState.ANALYSING || !recording.transcript) return;
    const file = await this.media.find(recording.mediaId);
    const url = file && (await this.media.url(file));
    if (!url) return;
    try {
      const insights = await analyseLesson(url.url, recording.transcript);
      await this.updates.published(await this.recordings.analysed(lessonId, insights, this.clock.now()));
    } catch (err) {
      if (!(err instanceof SilentAudioError)) throw err;
      await this.updates.published(
        await this.recordings.failed(lessonId, RecordingState.ANALYSING, 'The recording is silent', this.clock.now()),
      );
    }
  }

  removeVendorJob(jobId: string): Promise<void> {
    return this.provider.remove(jobId);
  }

  /**
   * A provider call: a refusal ends the recording as FAILED with the reason (null returned); an
   * outage marks it retrying and fails the job, which the scheduler retries with backoff.
   */
  private async vendor<T>(lessonId: string, call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (err) {
      const now = this.clock.now();
      if (err instanceof TranscriptionRefusedError) {
        await this.recordings.failed(
          lessonId,
          RecordingState.TRANSCRIBING,
          `Transcription refused: ${err.reason}`,
          now,
        );
        return null;
      }
      if (err instanceof TranscriptionUnavailableError) {
        const before = await this.recordings.get(lessonId);
        await this.recordings.retrying(lessonId, err.message, now);
        // Tell the participants once, when the retrying starts.
        if (before && !before.retryingSince) await this.updates.published(await this.recordings.get(lessonId));
        this.logger.warn(`transcription of ${lessonId} will be retried: ${err.message}`);
      }
      throw err;
    }
  }

  private schedulePoll(lessonId: string, inSeconds: number): Promise<string> {
    return this.scheduler.schedule(POLL_JOB, { lessonId }, new Date(this.clock.now().getTime() + inSeconds * 1000), {
      key: lessonId,
    });
  }
}
