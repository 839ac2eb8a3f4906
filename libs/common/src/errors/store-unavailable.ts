/** The backing stores a request can depend on (also the `store` label of `store_unavailable_total`). */
export const STORE_NAMES = ['dynamodb', 'mongodb', 's3', 'redis', 'stripe'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

/**
 * A store did not answer in time or could not be reached. Never a statement about the data: code
 * that reads "missing" or "not allowed" from a store must let this through, so that a client sees
 * SERVICE_UNAVAILABLE (retry) and not NOT_FOUND or UNAUTHENTICATED (give up, log out).
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly store: StoreName,
    cause: unknown,
  ) {
    super(`${store} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Tells which store an error says is unavailable, or undefined for any other error. */
export type StoreFailureClassifier = (err: unknown) => StoreName | undefined;
