/**
 * Error classes of the driver and Mongoose that mean the server could not be reached or did not
 * answer in time. Checked by name so that errors survive duplicated driver copies.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoOperationTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
]);

/** Server answers that mean "not now": shutting down, stepping down, or out of time. */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * True when a MongoDB operation failed because the server was unreachable, late or changing
 * primaries: the same request may succeed later. False for answers about the request itself
 * (duplicate keys, validation, bad queries), which callers handle as such.
 */
export function isMongoUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) return true;
  // Mongoose refuses to send while disconnected with bufferCommands off (e.g. the first connect failed).
  const message = (err as { message?: unknown }).message;
  return name === 'MongooseError' && typeof message === 'string' && message.includes('before initial connection');
}
