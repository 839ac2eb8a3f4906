import { ValidationFailedError } from '../errors/domain-errors';
/**
 * Opaque pagination cursors. A cursor is base64url(JSON({ v, p })) where `v` is the format
 * version and `p` the caller's payload (typically the sort key of the last item). Clients must
 * treat it as an opaque string; only this module knows the format.
 */

/** Version of the cursor envelope; bump it when the encoding changes incompatibly. */
export const CURSOR_VERSION = 1;

/** Upper bound on an accepted cursor, so that a hostile client cannot make us parse megabytes. */
export const MAX_CURSOR_LENGTH = 1024;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A cursor that this server did not issue (malformed, tampered with, or of another version). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  /** Maps to BAD_USER_INPUT in the GraphQL error formatter. */
  readonly code = 'BAD_USER_INPUT';

  constructor(
    message = 'Invalid cursor',
    /** The argument that carried the cursor. */
    readonly field: string = 'after',
  ) {
    super(message);
  }
}

interface CursorEnvelope {
  v: number;
  p: unknown;
}

/** Encodes a payload (a plain JSON-serialisable object) into an opaque cursor. */
export function encodeCursor(payload: object): string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError('Cursor payload must be a plain object');
  }
  const envelope: CursorEnvelope = { v: CURSOR_VERSION, p: payload };
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor issued by {@link encodeCursor}. Throws {@link InvalidCursorError} on anything
 * else. The payload's shape is the caller's to check (the type parameter is not verified).
 */
export function decodeCursor<T = Record<string, unknown>>(cursor: string): T {
  if (
    typeof cursor !== 'string' ||
    cursor.length === 0 ||
    cursor.length > MAX_CURSOR_LENGTH ||
    !BASE64URL.test(cursor)
  ) {
    throw new InvalidCursorError();
  }
  const bytes = Buffer.from(cursor, 'base64url');
  // Node's decoder is lenient (ignores trailing bits and junk); accept only the canonical form.
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursorError();

  let envelope: unknown;
  try {
    envelope = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new InvalidCursorError();
  }
  if (!isPlainObject(envelope)) throw new InvalidCursorError();
  const { v, p } = envelope as Partial<CursorEnvelope>;
  if (v !== CURSOR_VERSION || !isPlainObject(p)) throw new InvalidCursorError();
  return p as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The payload of a client's `after` argument, or undefined without one. Anything that is not a
 * cursor of ours (or fails `isValid`) is BAD_USER_INPUT naming `after`.
 */
export function decodeAfter<T>(
  after: string | null | undefined,
  isValid: (payload: T) => boolean = () => true,
): T | undefined {
  if (after === undefined || after === null) return undefined;
  let payload: T;
  try {
    payload = decodeCursor<T>(after);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw afterIsNotACursor();
    throw err;
  }
  if (!isValid(payload)) throw afterIsNotACursor();
  return payload;
}

export function afterIsNotACursor(): ValidationFailedError {
  return ValidationFailedError.field('after', 'after is not a cursor from this list');
}
