import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Refresh tokens are opaque to clients: `rt1.<userId>.<sessionId>.<secret>`. The ids locate the
 * session item; only a SHA-256 of the 256-bit secret is stored (a fast hash suffices for a
 * random secret, unlike a password).
 */
export interface ParsedRefreshToken {
  userId: string;
  sessionId: string;
  secret: string;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatRefreshToken(userId: string, sessionId: string, secret: string): string {
  return `rt1.${userId}.${sessionId}.${secret}`;
}

export function parseRefreshToken(token: string): ParsedRefreshToken | null {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 4 || parts[0] !== 'rt1') return null;
  const [, userId, sessionId, secret] = parts;
  if (!/^[0-9A-Z]{26}$/.test(userId) || !/^[0-9A-Z]{26}$/.test(sessionId) || !/^[A-Za-z0-9_-]{43}$/.test(secret))
    return null;
  return { userId, sessionId, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
