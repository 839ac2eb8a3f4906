import { ConflictError } from '@app/common';
import { MediaRejectionReason } from './media.types';

/** completeUpload refused the file: it was removed, the quota given back; `reason` names the problem. */
export function mediaRejected(reason: MediaRejectionReason, message: string): ConflictError {
  return new ConflictError(`The upload was rejected (${reason}): ${message}`, {
    reason: reason as `${MediaRejectionReason}`,
  });
}

export function quotaExceeded(limits: { count: number; bytes: number }, used: { count: number; bytes: number }) {
  return new ConflictError(
    `Your media quota is full: ${used.count} of ${limits.count} files, ${used.bytes} of ${limits.bytes} bytes in use; delete media to make room`,
    { reason: 'MEDIA_QUOTA_EXCEEDED', field: 'input.byteSize' },
  );
}

export const uploadExpired = () =>
  new ConflictError('The upload window has closed; start again with createUpload', { reason: 'UPLOAD_EXPIRED' });

export const completionInProgress = () =>
  new ConflictError('Another completeUpload of this upload is still verifying it; retry shortly', {
    reason: 'UPLOAD_BEING_COMPLETED',
  });

/** The media cannot be used where it was given (wrong purpose, not ready). */
export function mediaNotUsable(field: string, message: string, currentStatus?: string): ConflictError {
  return new ConflictError(message, { reason: 'MEDIA_NOT_USABLE', field, currentStatus });
}
