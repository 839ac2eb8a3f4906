/**
 * Redis keys of presence (only the presence repository uses them), inside a namespace: the
 * deployment's name (its DynamoDB table), so deployments and test apps sharing one Redis never
 * sweep, and so never report, each other's users.
 */
export const presenceKeys = (namespace: string) => ({
  sockets: (userId: string) => `presence:${namespace}:${userId}:sockets`,
  state: (userId: string) => `presence:${namespace}:${userId}`,
  /** Users whose presence needs a look at a moment (score: ms since the epoch). */
  due: `presence:${namespace}:due`,
});
/** How long a user's stored state (status, last seen) outlives their last change. */
export const PRESENCE_KEEP_SECONDS = 90 * 86_400;
