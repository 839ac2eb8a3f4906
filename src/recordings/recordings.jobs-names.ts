/** Submits a recording to the transcription provider (or removes a deleted recording's vendor job). */
export const TRANSCRIBE_JOB = 'recordings.transcribe';
/** Reads the provider's job state: the fallback of the completion callback, and what the callback triggers. */
export const POLL_JOB = 'recordings.poll';
/** Our audio analysis of a transcribed recording. */
export const ANALYSE_JOB = 'recordings.analyse';
export const RETENTION_JOB = 'recordings.retention';
/** Deletes a removed recording's job (audio and transcript) at the provider. */
export const VENDOR_REMOVE_JOB = 'recordings.vendor-remove';
