import { createHash } from 'node:crypto';

/** Fingerprint of a mutation's input: the same key with different input is a client bug (CONFLICT). */
export function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update(JSON.stringify(input)).digest('base64url');
}
