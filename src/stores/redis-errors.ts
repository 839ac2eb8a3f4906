/** Errors ioredis raises itself (not server replies) when Redis is away or late. */
const TRANSPORT_MESSAGES = [
  'Command timed out',
  "Stream isn't writeable",
  'Connection is closed',
  'Reached the max retries per request limit',
];
const TRANSPORT_NAMES = new Set(['MaxRetriesPerRequestError', 'AbortError']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** Server replies that mean "not now" (loading its data set, busy script, failover). */
const TRANSIENT_REPLIES = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY)\b/;

/**
 * True when a Redis command failed because Redis was unreachable or did not answer within
 * `commandTimeout`; false for replies about the command itself (wrong type, script errors).
 */
export function isRedisUnavailable(err: unknown): boolean {
  // Duck-typed: socket errors come from Node itself, which may be another realm than ours.
  if (typeof err !== 'object' || err === null) return false;
  const { name, message, code } = err as { name?: unknown; message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (name === 'ReplyError') return TRANSIENT_REPLIES.test(text);
  if (typeof name === 'string' && TRANSPORT_NAMES.has(name)) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return TRANSPORT_MESSAGES.some((m) => text.startsWith(m));
}
