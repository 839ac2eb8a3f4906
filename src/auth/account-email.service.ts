import { Injectable } from '@nestjs/common';
import { ConflictError, ValidationFailedError } from '@app/common';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events.service';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { AccountEventsService } from '../users/account-events.service';
import { AccountEventType } from '../users/models/account-event.model';
import { normaliseEmail, User } from '../users/user.types';
import { EmailTakenError, UserMissingError, UsersService } from '../users/users.service';
import type { Viewer } from './viewer';
import { AccountTokenError, AccountTokenPurpose, AccountTokensService } from './account-tokens.service';
import { AccountTokenSpent } from './auth.errors';
import { ChangeEmailInput } from './dto/account-email.inputs';
import { PasswordService } from './password.service';

/**
 * The account's e-mail address: proving it (the link of the verification mail), sending that
 * link again, and moving the account to another address (which must be proved in turn; the old
 * address is told).
 */
@Injectable()
export class AccountEmailService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly tokens: AccountTokensService,
    private readonly passwords: PasswordService,
    private readonly limiter: RateLimiterService,
    private readonly accountEvents: AccountEventsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  get verificationTtlSeconds(): number {
    return this.config.EMAIL_VERIFICATION_TTL_HOURS * 3600;
  }

  /** Confirms the address the token was mailed to, while the account is still at it. */
  async verify(token: string, field = 'token'): Promise<boolean> {
    const stored = await this.tokens.check(AccountTokenPurpose.VERIFY_EMAIL, token, field);
    const verified = this.domainEvents.record('account.email_verified', { userId: stored.userId, email: stored.email });
    try {
      await this.users.update(
        stored.userId,
        { emailVerified: true },
        { ifEmail: stored.email, also: [this.tokens.spendPart(stored), ...verified.parts] },
      );
    } catch (err) {
      if (err instanceof AccountTokenSpent) throw await this.spentError(token, field);
      // The account moved to another address since the mail was sent: this link proves nothing now.
      if (err instanceof UserMissingError) throw new AccountTokenError(field, 'INVALID');
      throw err;
    }
    this.domainEvents.publish(verified);
    await this.accountEvents.publish(stored.userId, AccountEventType.EMAIL_VERIFIED);
    return true;
  }

  /** A new verification mail (the previous link stops working); rate-limited per account. */
  async resend(viewer: Viewer): Promise<boolean> {
    await this.limiter.consume(
      `verifyEmail:resend:${viewer.userId}`,
      this.config.ACCOUNT_MAIL_RATE_LIMIT,
      this.config.ACCOUNT_MAIL_RATE_LIMIT_WINDOW_SECONDS,
    );
    const account = await this.users.credentialsById(viewer.userId);
    if (!account) throw new UserMissingError();
    if (account.user.emailVerified)
      throw new ConflictError('Your e-mail address is already confirmed', { reason: 'EMAIL_ALREADY_VERIFIED' });
    await this.tokens.issueNow(
      AccountTokenPurpose.VERIFY_EMAIL,
      account.user.id,
      account.user.email,
      this.verificationTtlSeconds,
    );
    return true;
  }

  /**
   * Moves the account to `newEmail` after checking the password: unverified until the link sent
   * there is followed; the old address gets a notice (someone with the password may have done it).
   */
  async change(viewer: Viewer, input: ChangeEmailInput): Promise<User> {
    const failuresKey = `changeEmail:failures:${viewer.userId}`;
    await this.limiter.consume(
      failuresKey,
      this.config.AUTH_RATE_LIMIT_PER_ACCOUNT,
      this.config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );
    const account = await this.users.credentialsById(viewer.userId);
    if (!account || !(await this.passwords.verify(account.passwordHash, input.currentPassword)))
      throw ValidationFailedError.field('input.currentPassword', 'currentPassword is not correct');
    await this.limiter.reset(failuresKey);
    const to = normaliseEmail(input.newEmail);
    const from = account.user.email;
    if (to === from) throw ValidationFailedError.field('input.newEmail', 'newEmail is the current address');
    const changed = this.domainEvents.record('account.email_changed', {
      userId: viewer.userId,
      previousEmail: from,
      email: to,
    });
    const verification = this.tokens.issue(
      AccountTokenPurpose.VERIFY_EMAIL,
      viewer.userId,
      to,
      this.verificationTtlSeconds,
    );
    let user: User;
    try {
      user = await this.users.changeEmail(viewer.userId, from, to, [...verification.parts, ...changed.parts]);
    } catch (err) {
      if (err instanceof EmailTakenError)
        throw new ConflictError('An account with this e-mail address already exists', {
          reason: 'EMAIL_TAKEN',
          field: 'input.newEmail',
        });
      if (err instanceof UserMissingError)
        throw new ConflictError('The account changed meanwhile; try again', {
          reason: 'CHANGED_CONCURRENTLY',
          field: 'input.newEmail',
        });
      throw err;
    }
    this.domainEvents.publish(changed, verification.event);
    await this.accountEvents.publish(viewer.userId, AccountEventType.EMAIL_CHANGED);
    return user;
  }

  /** After a lost race: say whether the token was used or replaced. */
  private async spentError(token: string, field: string): Promise<AccountTokenError> {
    try {
      await this.tokens.check(AccountTokenPurpose.VERIFY_EMAIL, token, field);
      return new AccountTokenError(field, 'USED');
    } catch (err) {
      if (err instanceof AccountTokenError) return err;
      throw err;
    }
  }
}
