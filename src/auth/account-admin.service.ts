import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationFailedError } from '@app/common';
import type { TransactPart } from '@app/dynamo';
import { DomainEvents } from '../events/domain-events.service';
import { AccountEventsService } from '../users/account-events.service';
import { AccountEventType } from '../users/models/account-event.model';
import { Role, User, UserStatus } from '../users/user.types';
import type { Viewer } from './viewer';
import { UserMissingError, UsersService } from '../users/users.service';
import { AuthService } from './auth.service';

/** Admin actions on accounts; suspension also ends every session and access token at once. */
@Injectable()
export class AccountAdminService {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly accountEvents: AccountEventsService,
    private readonly events: DomainEvents,
  ) {}

  /** Idempotent: suspending a suspended user changes nothing and sends nothing. */
  async suspend(admin: Viewer, userId: string): Promise<User> {
    if (userId === admin.userId)
      throw new ConflictError('Admins cannot suspend themselves', { reason: 'CANNOT_SUSPEND_SELF', field: 'id' });
    const current = await this.current(userId);
    if (current.status === UserStatus.SUSPENDED) return current;
    // Stored with the change: the teacher profile leaves search and bookings until reinstated.
    const suspended = this.events.record('account.suspended', { userId });
    const user = await this.change(userId, { status: UserStatus.SUSPENDED }, true, suspended.parts);
    await this.auth.revokeAllSessions(userId);
    this.events.publish(suspended);
    return user;
  }

  async reinstate(userId: string): Promise<User> {
    const current = await this.current(userId);
    if (current.status === UserStatus.ACTIVE) return current;
    const reinstated = this.events.record('account.reinstated', { userId });
    const user = await this.change(userId, { status: UserStatus.ACTIVE }, false, reinstated.parts);
    this.events.publish(reinstated);
    return user;
  }

  async setRoles(admin: Viewer, userId: string, roles: Role[]): Promise<User> {
    const unique = [...new Set(roles)];
    if (unique.length === 0) throw ValidationFailedError.field('roles', 'roles must name at least one role');
    if (userId === admin.userId && !unique.includes(Role.ADMIN)) {
      throw new ConflictError('Admins cannot remove their own ADMIN role', {
        reason: 'CANNOT_REMOVE_OWN_ADMIN',
        field: 'roles',
      });
    }
    const user = await this.change(userId, { roles: unique }, false);
    await this.accountEvents.publish(userId, AccountEventType.ROLES_CHANGED);
    return user;
  }

  private async current(userId: string): Promise<User> {
    const found = await this.users.credentialsById(userId);
    if (!found) throw new NotFoundError('User', userId);
    return found.user;
  }

  private async change(
    userId: string,
    changes: Partial<Pick<User, 'status' | 'roles'>>,
    revokeTokens: boolean,
    also: TransactPart[] = [],
  ): Promise<User> {
    try {
      return await this.users.update(userId, changes, { bumpTokenVersion: revokeTokens, also });
    } catch (err) {
      if (err instanceof UserMissingError) throw new NotFoundError('User', userId);
      throw err;
    }
  }
}
