import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import { Clock, ValidationFailedError } from '@app/common';
import type { TransactPart } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { DomainEvents, RecordedEvent } from '../events/domain-events.service';
import {
  AccountTokenPurpose,
  deriveSecret,
  formatAccountToken,
  hashTokenSecret,
  parseAccountToken,
  tokenKey,
  tokenSecretMatches,
} from './account-tokens';
import { AccountTokensRepository, StoredAccountToken } from './account-tokens.repository';

export { AccountTokenPurpose } from './account-tokens';
export type { StoredAccountToken } from './account-tokens.repository';

export type TokenProblem = 'INVALID' | 'EXPIRED' | 'USED';

const PROBLEM_TEXT: Record<TokenProblem, string> = {
  INVALID: 'is not valid: mistyped, forged, or replaced by a newer link',
  EXPIRED: 'has expired: ask for a new link',
  USED: 'was already used',
};

/**
 * A verification or password-reset token that cannot be used: BAD_USER_INPUT naming the field
 * (the one shape of that code, decision 0013), its message saying which problem it is so a client
 * can offer the right next step.
 */
export class AccountTokenError extends ValidationFailedError {
  constructor(
    field: string,
    readonly problem: TokenProblem,
  ) {
    super([{ field, message: `${field.split('.').pop()} ${PROBLEM_TEXT[problem]}` }]);
  }
}

/** Issues, checks and spends the single-use tokens of account mails (see account-tokens.ts). */
@Injectable()
export class AccountTokensService {
  private readonly key: Buffer;

  constructor(
    config: AppConfig,
    private readonly tokens: AccountTokensRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {
    this.key = tokenKey(config.jwtSecret);
  }

  /**
   * A new token for `email` (replacing the account's previous one of this purpose) with the event
   * that mails it: `parts` go into the caller's transaction, `event` is published after it.
   */
  issue(
    purpose: AccountTokenPurpose,
    userId: string,
    email: string,
    ttlSeconds: number,
  ): { stored: StoredAccountToken; parts: TransactPart[]; event: RecordedEvent } {
    const now = this.clock.now();
    const tokenId = ulid();
    const expiresAt = Math.floor(now.getTime() / 1000) + ttlSeconds;
    const stored: StoredAccountToken = {
      userId,
      purpose,
      tokenId,
      tokenHash: hashTokenSecret(deriveSecret(this.key, purpose, userId, tokenId)),
      email,
      issuedAt: now.toISOString(),
      expiresAt,
    };
    const payload = { userId, email, tokenId, expiresAt: new Date(expiresAt * 1000).toISOString() };
    const event =
      purpose === AccountTokenPurpose.VERIFY_EMAIL
        ? this.events.record('account.verification_requested', payload)
        : this.events.record('account.password_reset_requested', payload);
    return { stored, parts: [this.tokens.issuePart(stored), ...event.parts], event };
  }

  /** Issues a token on its own (resend, reset request) and publishes its event. */
  async issueNow(purpose: AccountTokenPurpose, userId: string, email: string, ttlSeconds: number): Promise<void> {
    const { stored, event } = this.issue(purpose, userId, email, ttlSeconds);
    await this.tokens.issue(stored, event.parts);
    this.events.publish(event);
  }

  /** The token a mail carries, derived again when the mail is rendered (it is stored nowhere). */
  tokenFor(purpose: AccountTokenPurpose, userId: string, tokenId: string): string {
    return formatAccountToken(purpose, userId, tokenId, deriveSecret(this.key, purpose, userId, tokenId));
  }

  /** The stored token a presented one matches, usable now; otherwise AccountTokenError on `field`. */
  async check(purpose: AccountTokenPurpose, token: string, field: string): Promise<StoredAccountToken> {
    const parsed = parseAccountToken(purpose, token);
    if (!parsed) throw new AccountTokenError(field, 'INVALID');
    const stored = await this.tokens.get(parsed.userId, purpose);
    if (!stored || stored.tokenId !== parsed.tokenId || !tokenSecretMatches(parsed.secret, stored.tokenHash))
      throw new AccountTokenError(field, 'INVALID');
    if (stored.usedAt) throw new AccountTokenError(field, 'USED');
    if (stored.expiresAt * 1000 <= this.clock.now().getTime()) throw new AccountTokenError(field, 'EXPIRED');
    return stored;
  }

  /** Marks the token used in the transaction of the change it authorises (AccountTokenSpent if someone was faster). */
  spendPart(stored: StoredAccountToken): TransactPart {
    return this.tokens.consumePart(stored, this.clock.now());
  }
}
