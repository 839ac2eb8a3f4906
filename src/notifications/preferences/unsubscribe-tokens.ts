import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { NotificationCategory } from '../notification-categories';

const ULID = /^[0-9A-Z]{26}$/;

/**
 * Unsubscribe links that need no login: `<userId>.<category>.<signature>`, signed with a key
 * derived from the server secret. They can only switch one category of one account off.
 */
@Injectable()
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwtSecret, 'take-sessions', 'unsubscribe links v1', 32));
  }

  token(userId: string, category: NotificationCategory): string {
    return `${userId}.${category}.${this.sign(userId, category)}`;
  }

  /**
   * The link of the mail's footer and of its List-Unsubscribe header: GET shows a page that asks
   * (link scanners must not unsubscribe anyone), POST switches off at once (RFC 8058 one-click).
   */
  url(userId: string, category: NotificationCategory): string {
    return `${this.config.publicBaseUrl}/notifications/unsubscribe?token=${this.token(userId, category)}`;
  }

  verify(token: unknown): { userId: string; category: NotificationCategory } | null {
    const parts = typeof token === 'string' && token.length < 200 ? token.split('.') : [];
    if (parts.length !== 3) return null;
    const [userId, category, signature] = parts;
    if (!ULID.test(userId) || !Object.values(NotificationCategory).includes(category as NotificationCategory))
      return null;
    const expected = Buffer.from(this.sign(userId, category));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { userId, category: category as NotificationCategory };
  }

  private sign(userId: string, category: string): string {
    return createHmac('sha256', this.key).update(`${userId}:${category}`).digest('base64url');
  }
}
