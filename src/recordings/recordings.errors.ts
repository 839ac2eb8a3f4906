import { ConflictError, ValidationFailedError } from '@app/common';

export class ConsentMissingError extends ConflictError {
  constructor(missing: Array<'TEACHER' | 'STUDENT'>) {
    super(`Recording needs the consent of both participants; missing: ${missing.join(', ').toLowerCase()}`, {
      reason: 'RECORDING_CONSENT_MISSING',
      missing,
    });
  }
}

export class LessonNotStartedError extends ConflictError {
  constructor() {
    super('A recording can be attached only to a lesson that has started', { reason: 'LESSON_NOT_STARTED' });
  }
}

export class RecordingExistsError extends ConflictError {
  constructor() {
    super('This lesson already has a recording; delete it first', { reason: 'RECORDING_EXISTS' });
  }
}

export function recordingMediaProblem(message: string): ValidationFailedError {
  return ValidationFailedError.field('mediaId', message);
}
