import { fromJsonV2, type SpeechmaticsJsonV2 } from './speechmatics-json';
import type { TranscriptInput } from '../analysis/analysis.types';
import {
  TranscriptionProvider,
  TranscriptionRefusedError,
  TranscriptionRequest,
  TranscriptionStatus,
  TranscriptionUnavailableError,
} from './transcription.port';

export interface SpeechmaticsOptions {
  /** The API base, e.g. https://asr.api.speechmatics.com (the local server in development and tests). */
  baseUrl: string;
  apiKey: string;
  /** Attempts of one call when the answer is 429, 5xx or no answer (default 4). */
  attempts?: number;
  /** First backoff delay; doubled per attempt, capped by maxDelayMs; a Retry-After wins when longer. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Waits between attempts (the tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Speechmatics Batch API v2 over plain HTTP (fetch): the subset this project needs. */
export class SpeechmaticsProvider implements TranscriptionProvider {
  readonly name = 'speechmatics';
  private readonly base: string;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: SpeechmaticsOptions) {
    this.base = `${opts.baseUrl.replace(/\/$/, '')}/v2`;
    this.attempts = opts.attempts ?? 4;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 8_000;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.sleep = opts.sleep ?? realSleep;
  }

  async submit(req: TranscriptionRequest): Promise<{ jobId: string }> {
    const config = {
      type: 'transcription',
      fetch_data: { url: req.audioUrl },
      transcription_config: { language: req.language, diarization: 'speaker' },
      audio_events_config: { types: ['music'] },
      ...(req.callback
        ? {
            notification_config: [
              {
                url: req.callback.url,
                contents: ['jobinfo'],
                auth_headers: [`Authorization: ${req.callback.authorization}`],
              },
            ],
          }
        : {}),
    };
    const form = new FormData();
    form.append('config', JSON.stringify(config));
    const body = await this.call<{ id: string }>('POST', '/jobs', form);
    return { jobId: body.id };
  }

  async status(jobId: string): Promise<TranscriptionStatus> {
    const { job } = await this.call<{
      job: { status: string; duration?: number; errors?: Array<{ message: string }> };
    }>('GET', `/jobs/${encodeURIComponent(jobId)}`);
    if (job.status === 'done') return { state: 'DONE', durationSeconds: job.duration ?? 0 };
    if (job.status === 'running') return { state: 'RUNNING' };
    const reason = job.errors?.map((e) => e.message).join('; ') || `job ${job.status}`;
    return { state: 'REJECTED', reason };
  }

  async transcript(jobId: string): Promise<TranscriptInput> {
    const doc = await this.call<SpeechmaticsJsonV2>(
      'GET',
      `/jobs/${encodeURIComponent(jobId)}/transcript?format=json-v2`,
    );
    return fromJsonV2(doc, 'en');
  }

  async remove(jobId: string): Promise<void> {
    try {
      await this.call('DELETE', `/jobs/${encodeURIComponent(jobId)}?force=true`);
    } catch (err) {
      if (err instanceof TranscriptionRefusedError && err.status === 404) return;
      throw err;
    }
  }

  /** One API call with retries and backoff on 429, 5xx and network failures. */
  private async call<T>(method: string, path: string, body?: FormData): Promise<T> {
    let last: TranscriptionUnavailableError | undefined;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await this.sleep(this.delay(attempt, last));
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.opts.apiKey}` },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        last = new TranscriptionUnavailableError(`Speechmatics unreachable: ${(err as Error).message}`, null);
        continue;
      }
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      const detail = errorText(text) ?? res.statusText;
      if (res.status === 429 || res.status >= 500) {
        last = Object.assign(
          new TranscriptionUnavailableError(`Speechmatics answered ${res.status}: ${detail}`, res.status),
          {
            retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
          },
        );
        continue;
      }
      throw new TranscriptionRefusedError(detail, res.status);
    }
    throw last!;
  }

  private delay(
    attempt: number,
    last: (TranscriptionUnavailableError & { retryAfterMs?: number }) | undefined,
  ): number {
    const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.min(this.maxDelayMs, Math.max(backoff, last?.retryAfterMs ?? 0));
  }
}

function errorText(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: string; detail?: string };
    return [body.error, body.detail].filter(Boolean).join(': ') || undefined;
  } catch {
    return text.slice(0, 200) || undefined;
  }
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = header ? Number(header) : NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}
