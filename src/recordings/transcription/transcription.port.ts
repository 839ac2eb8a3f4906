import type { TranscriptInput } from '../analysis/analysis.types';

/**
 * The one seam to a transcription vendor (Speechmatics today): the recordings feature submits a
 * recording by URL, learns of completion by a callback or by polling, and reads a provider-neutral
 * transcript. Another vendor is another implementation of this interface.
 */
export interface TranscriptionProvider {
  /** Short stable name stored with each job ("speechmatics"). */
  readonly name: string;
  submit(request: TranscriptionRequest): Promise<{ jobId: string }>;
  status(jobId: string): Promise<TranscriptionStatus>;
  /** The diarized transcript with music events of a job whose status is DONE. */
  transcript(jobId: string): Promise<TranscriptInput>;
  /** Removes the job (audio and transcript) at the vendor; a job already gone is not an error. */
  remove(jobId: string): Promise<void>;
}

export const TRANSCRIPTION_PROVIDER = Symbol('TranscriptionProvider');

export interface TranscriptionRequest {
  /** Where the vendor fetches the audio (a presigned GET). */
  audioUrl: string;
  /** ISO 639-1 language of the lesson ("en"). */
  language: string;
  /** Called by the vendor when the job is done or rejected (the poll is the fallback). */
  callback?: { url: string; authorization: string };
}

export type TranscriptionStatus =
  { state: 'RUNNING' } | { state: 'DONE'; durationSeconds: number } | { state: 'REJECTED'; reason: string };

/**
 * The vendor did not answer usefully (429, 5xx, network) after the client's own retries: the
 * caller keeps the job and tries again later.
 */
export class TranscriptionUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'TranscriptionUnavailableError';
  }
}

/** The vendor refused the request for good (bad audio, bad configuration, bad credentials). */
export class TranscriptionRefusedError extends Error {
  constructor(
    readonly reason: string,
    readonly status: number,
  ) {
    super(reason);
    this.name = 'TranscriptionRefusedError';
  }
}
