import { Injectable } from '@nestjs/common';
import { UnauthenticatedError } from '@app/common';
import type { RequestLoaders } from '../graphql/request-loaders';
import { UserStatus } from '../users/user.types';
import { UsersService } from '../users/users.service';
import type { Viewer } from './viewer';
import type { TokenPrincipal } from './access-token.service';
import { SessionsRepository } from './sessions.repository';

/**
 * Turns a verified token into a viewer only while the account still honours it: the user is
 * ACTIVE, the token's version is current (not revoked by log-out-everywhere, a password change
 * or suspension) and its session still exists (not logged out). User and session are read in one
 * BatchGetItem through the request's loader (both loads are queued in the same tick). Only what
 * was read can refuse the token: a store that fails or is late fails the request
 * (SERVICE_UNAVAILABLE), never the session.
 */
@Injectable()
export class AccountStateService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsRepository,
  ) {}

  async viewerFor(principal: TokenPrincipal, loaders: RequestLoaders): Promise<Viewer> {
    const [user, session] = await Promise.all([
      this.users.find(loaders, principal.userId),
      this.sessions.load(loaders.dynamoItems, principal.userId, principal.sessionId),
    ]);
    if (!user) throw new UnauthenticatedError('Account not found');
    if (user.status === UserStatus.DELETED) throw new UnauthenticatedError('Account deleted');
    if (user.status !== UserStatus.ACTIVE) throw new UnauthenticatedError('Account suspended');
    if (user.tokenVersion !== principal.tokenVersion) throw new UnauthenticatedError('Access token revoked');
    if (!session) throw new UnauthenticatedError('Session ended');
    // Roles come from the stored user, so a role change applies at once.
    return {
      userId: principal.userId,
      roles: user.roles,
      sessionId: principal.sessionId,
      emailVerified: user.emailVerified,
    };
  }
}
