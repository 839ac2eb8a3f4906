import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Single-use tokens that mails carry: `<prefix>.<userId>.<tokenId>.<secret>`. The secret is an
 * HMAC of the ids under a key derived from the server secret, so nothing stored (the token item,
 * the outbox event, the queued mail) holds it: the mail is rendered, and the link derived, only
 * when it is sent. The token item keeps a SHA-256 of the secret, as refresh tokens do, and
 * whether it was used.
 */
export enum AccountTokenPurpose {
  VERIFY_EMAIL = 'VERIFY_EMAIL',
  RESET_PASSWORD = 'RESET_PASSWORD',
}

const PREFIX: Record<AccountTokenPurpose, string> = {
  [AccountTokenPurpose.VERIFY_EMAIL]: 'ev1',
  [AccountTokenPurpose.RESET_PASSWORD]: 'pr1',
};

const ULID = /^[0-9A-Z]{26}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface ParsedAccountToken {
  userId: string;
  tokenId: string;
  secret: string;
}

export function tokenKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'take-sessions', 'account tokens v1', 32));
}

export function deriveSecret(key: Buffer, purpose: AccountTokenPurpose, userId: string, tokenId: string): string {
  return createHmac('sha256', key).update(`${purpose}:${userId}:${tokenId}`).digest('base64url');
}

export function formatAccountToken(purpose: AccountTokenPurpose, userId: string, tokenId: string, secret: string) {
  return `${PREFIX[purpose]}.${userId}.${tokenId}.${secret}`;
}

/** Null for anything that is not a well-formed token of this purpose. */
export function parseAccountToken(purpose: AccountTokenPurpose, token: unknown): ParsedAccountToken | null {
  const parts = typeof token === 'string' && token.length < 200 ? token.trim().split('.') : [];
  if (parts.length !== 4 || parts[0] !== PREFIX[purpose]) return null;
  const [, userId, tokenId, secret] = parts;
  if (!ULID.test(userId) || !ULID.test(tokenId) || !SECRET.test(secret)) return null;
  return { userId, tokenId, secret };
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function tokenSecretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashTokenSecret(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
