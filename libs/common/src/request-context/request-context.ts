import { randomFillSync } from 'node:crypto';
import { factory } from 'ulid';

const VALID_INCOMING_ID = /^[A-Za-z0-9._-]{1,128}$/;
const REQUEST_ID = Symbol('requestId');

/**
 * ulid's default generator asks the OS for one random byte per character (16 randomFillSync calls
 * an id: 2 % of the CPU of a `me` request in the profile); this one draws the same bytes
 * (byte / 255, as ulid does) from a pool refilled 4 KiB at a time.
 */
const pool = Buffer.alloc(4096);
let next = pool.length;
const requestUlid = factory(() => {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] / 0xff;
});

/**
 * Request ids. The id travels explicitly: on the HTTP request (`req.id`), in the GraphQL context,
 * and on the errors a request raised (the error formatter sees no context). No AsyncLocalStorage:
 * once one is in use, Node runs its hooks on every promise of the process.
 */
export const RequestContext = {
  /** Honours a well-formed `x-request-id` from a proxy; otherwise makes a new sortable id. */
  idFrom(header: string | string[] | undefined): string {
    const value = Array.isArray(header) ? header[0] : header;
    return value && VALID_INCOMING_ID.test(value) ? value : requestUlid();
  },
  /** Marks an error with the request that raised it (the first mark wins). */
  tagError(error: unknown, requestId: string): void {
    if (error && typeof error === 'object' && !(REQUEST_ID in error)) {
      Object.defineProperty(error, REQUEST_ID, { value: requestId });
    }
  },
  /** The request id an error was marked with, if any. */
  requestIdOf(error: unknown): string | undefined {
    return error && typeof error === 'object' ? (error as { [REQUEST_ID]?: string })[REQUEST_ID] : undefined;
  },
};
