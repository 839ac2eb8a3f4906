import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events.service';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { AccountEventsService } from '../users/account-events.service';
import { AccountEventType } from '../users/models/account-event.model';
import { normaliseEmail, UserStatus } from '../users/user.types';
import { UserMissingError, UsersService } from '../users/users.service';
import { AccountTokenError, AccountTokenPurpose, AccountTokensService } from './account-tokens.service';
import { AccountTokenSpent } from './auth.errors';
import { AuthService } from './auth.service';
import { ResetPasswordInput } from './dto/account-email.inputs';
import { PasswordService } from './password.service';

/**
 * "Forgot password": a mailed single-use link (PASSWORD_RESET_TTL_MINUTES) that sets a new
 * password and ends every session. Asking answers the same whether or not the address has an
 * account, so it tells nobody which addresses do.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly tokens: AccountTokensService,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
    private readonly limiter: RateLimiterService,
    private readonly accountEvents: AccountEventsService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async request(rawEmail: string, clientIp: string): Promise<boolean> {
    const email = normaliseEmail(rawEmail);
    await this.limiter.consume(
      `passwordReset:ip:${clientIp}`,
      this.config.AUTH_RATE_LIMIT_PER_IP,
      this.config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );
    // Counted for unknown addresses too: the limit itself must not reveal which exist.
    await this.limiter.consume(
      `passwordReset:email:${email}`,
      this.config.ACCOUNT_MAIL_RATE_LIMIT,
      this.config.ACCOUNT_MAIL_RATE_LIMIT_WINDOW_SECONDS,
    );
    const found = await this.users.credentialsByEmail(email);
    if (found && found.user.status === UserStatus.ACTIVE) {
      await this.tokens.issueNow(
        AccountTokenPurpose.RESET_PASSWORD,
        found.user.id,
        found.user.email,
        this.config.PASSWORD_RESET_TTL_MINUTES * 60,
      );
    }
    return true;
  }

  /** Sets the new password (the link also proves the address), revokes every session and access token. */
  async reset(input: ResetPasswordInput, clientIp: string): Promise<boolean> {
    await this.limiter.consume(
      `resetPassword:ip:${clientIp}`,
      this.config.AUTH_RATE_LIMIT_PER_IP,
      this.config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );
    const field = 'input.token';
    const stored = await this.tokens.check(AccountTokenPurpose.RESET_PASSWORD, input.token, field);
    const changed = this.domainEvents.record('account.password_changed', { userId: stored.userId, via: 'RESET' });
    try {
      await this.users.update(
        stored.userId,
        { passwordHash: await this.passwords.hash(input.newPassword), emailVerified: true },
        {
          bumpTokenVersion: true,
          ifEmail: stored.email,
          also: [this.tokens.spendPart(stored), ...changed.parts],
        },
      );
    } catch (err) {
      if (err instanceof AccountTokenSpent) throw new AccountTokenError(field, 'USED');
      if (err instanceof UserMissingError) throw new AccountTokenError(field, 'INVALID');
      throw err;
    }
    await this.auth.revokeAllSessions(stored.userId);
    this.domainEvents.publish(changed);
    await this.accountEvents.publish(stored.userId, AccountEventType.PASSWORD_CHANGED);
    return true;
  }
}
