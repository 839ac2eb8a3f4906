import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationFailedError } from '@app/common';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events.service';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { UserStatus } from '../users/user.types';
import { UserMissingError, UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { PasswordService } from './password.service';
import type { Viewer } from './viewer';

/**
 * Deleting an account, kept small: in one DynamoDB transaction the account becomes a DELETED
 * tombstone (no e-mail, password, name or avatar; lessons and reviews still point at its id), its
 * e-mail address is freed (the person may sign up again), every access token is revoked, and
 * `account.deleted` is stored in the outbox. Then every session and socket ends. Durable consumers
 * do the rest: the media feature deletes the account's files, the teachers feature unpublishes
 * its profile.
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly limiter: RateLimiterService,
    private readonly events: DomainEvents,
  ) {}

  /** The viewer deletes their own account, proving it with the password. */
  async deleteMine(viewer: Viewer, password: string): Promise<boolean> {
    const failuresKey = `deleteMyAccount:failures:${viewer.userId}`;
    await this.limiter.consume(
      failuresKey,
      this.config.AUTH_RATE_LIMIT_PER_ACCOUNT,
      this.config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );
    const found = await this.users.credentialsById(viewer.userId);
    if (!found || !(await this.passwords.verify(found.passwordHash, password))) {
      throw ValidationFailedError.field('input.password', 'password is not correct');
    }
    await this.limiter.reset(failuresKey);
    await this.delete(viewer.userId);
    return true;
  }

  /** An admin deletes someone else's account (their own goes through deleteMyAccount). */
  async deleteUser(admin: Viewer, userId: string): Promise<boolean> {
    if (userId === admin.userId) {
      throw new ConflictError('Admins delete their own account with deleteMyAccount', {
        reason: 'SELF_DELETION',
        field: 'id',
      });
    }
    await this.delete(userId);
    return true;
  }

  private async delete(userId: string): Promise<void> {
    const found = await this.users.credentialsById(userId);
    if (!found || found.user.status === UserStatus.DELETED) throw new NotFoundError('User', userId);
    const deleted = this.events.record('account.deleted', { userId });
    try {
      await this.users.markDeleted(found.user, deleted.parts);
    } catch (err) {
      if (err instanceof UserMissingError) throw new NotFoundError('User', userId);
      throw err;
    }
    await this.auth.revokeAllSessions(userId);
    this.events.publish(deleted);
  }
}
