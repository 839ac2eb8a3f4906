/** Redis keys of presence (only the presence repository uses them). */
export const presenceSocketsKey = (userId: string) => `presence:${userId}:sockets`;
export const presenceStateKey = (userId: string) => `presence:${userId}`;
/** Users whose presence needs a look at a moment (score: ms since the epoch). */
export const PRESENCE_DUE_KEY = 'presence:due';
/** How long a user's stored state (status, last seen) outlives their last change. */
export const PRESENCE_KEEP_SECONDS = 90 * 86_400;
