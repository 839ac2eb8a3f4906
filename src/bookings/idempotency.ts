import { createHash } from 'node:crypto';
import { ValidationFailedError } from '@app/common';

/** Keys are part of a DynamoDB key (at most 2048 bytes); anything this long is not a retry token. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** BAD_USER_INPUT on `idempotencyKey` for a key the store could not hold. */
export function checkIdempotencyKey(key: string): void {
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw ValidationFailedError.field(
      'idempotencyKey',
      `idempotencyKey must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    );
  }
}

/** Fingerprint of a mutation's input: the same key with different input is a client bug (CONFLICT). */
export function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update(JSON.stringify(input)).digest('base64url');
}
