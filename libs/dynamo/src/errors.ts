// Checks go by `name` rather than `instanceof` so that errors survive duplicated SDK copies
// in node_modules and errors re-thrown across package boundaries.

function errorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

export function isTransactionCanceled(err: unknown): boolean {
  return errorName(err) === 'TransactionCanceledException';
}

/**
 * One code per item of the cancelled transaction, in request order: 'None' for items that were
 * fine, else e.g. 'ConditionalCheckFailed', 'TransactionConflict'. Empty for any other error.
 */
export function cancellationReasons(err: unknown): string[] {
  if (!isTransactionCanceled(err)) return [];
  const reasons = (err as { CancellationReasons?: Array<{ Code?: string } | undefined> }).CancellationReasons;
  return Array.isArray(reasons) ? reasons.map((r) => r?.Code ?? 'None') : [];
}

/** Error names of the AWS SDK and its services that mean "not now", not "no" (DynamoDB and S3 alike). */
const TRANSIENT_NAMES = new Set([
  'TimeoutError', // our per-attempt connect/response timeout
  'AbortError', // our overall deadline (see withDeadline)
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Socket errors of Node: the endpoint is down, unreachable or dropped the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when an AWS SDK call (DynamoDB or S3) failed because the service could not be reached,
 * answered too late, throttled us past our retries or failed on its side (5xx): the same request
 * may succeed later. False for answers about the request itself (conditions, validation, missing
 * table), which callers must handle as such.
 */
export function isAwsUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = errorName(err);
  if (name && TRANSIENT_NAMES.has(name)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  // A socket error from another JavaScript realm (as under jest) fails the SDK's `instanceof
  // Error` and is re-wrapped as "AWS SDK error wrapper for Error: connect ECONNREFUSED ...".
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && message.startsWith('AWS SDK error wrapper for')) {
    return [...NETWORK_CODES].some((c) => message.includes(c));
  }
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}
