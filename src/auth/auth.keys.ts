import type { ItemKey } from '@app/dynamo';

/** Key layout of authentication items: they live in the user's partition (see ARCHITECTURE.md). */
export const sessionKey = (userId: string, sessionId: string): ItemKey => ({
  PK: `USER#${userId}`,
  SK: `SESSION#${sessionId}`,
});
/** Written when a login ends, so a refresh racing the log-out cannot rotate the family back to life. */
export const revokedFamilyKey = (userId: string, familyId: string): ItemKey => ({
  PK: `USER#${userId}`,
  SK: `REVOKED#${familyId}`,
});
export const SESSION_SORT_KEY_PREFIX = 'SESSION#';
/** The one live token of a purpose (a newer one replaces it): e-mail verification, password reset. */
export const accountTokenKey = (userId: string, purpose: string): ItemKey => ({
  PK: `USER#${userId}`,
  SK: `TOKEN#${purpose}`,
});
/**
 * The account item (owned by the users feature). Named here because a session rotation is
 * conditioned on the account's tokenVersion in the same transaction.
 */
export const accountKey = (userId: string): ItemKey => ({ PK: `USER#${userId}`, SK: 'USER' });
export const userPartition = (userId: string) => `USER#${userId}`;
