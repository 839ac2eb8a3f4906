import { Injectable } from '@nestjs/common';
import { UnauthenticatedError } from '@app/common';
import type { RequestLoaders } from '../graphql/request-loaders';
import { userKey } from '../users/user.keys';
import { UserStatus, Viewer } from '../users/user.types';
import type { TokenPrincipal } from './jwt.strategy';

/**
 * Turns a verified token into a viewer only while the account still honours it: the user is
 * ACTIVE, the token's version is current (not revoked by log-out-everywhere, a password change
 * or suspension) and its session still exists (not logged out). User and session are read in one
 * BatchGetItem through the request's loader.
 */
@Injectable()
export class AccountStateService {
  async viewerFor(principal: TokenPrincipal, loaders: RequestLoaders): Promise<Viewer> {
    const [user, session] = await loaders.dynamoItems.loadMany([
      userKey(principal.userId),
      { PK: `USER#${principal.userId}`, SK: `SESSION#${principal.sessionId}` },
    ]);
    if (!user || user instanceof Error) throw new UnauthenticatedError('Account not found');
    if (user.status !== UserStatus.ACTIVE) throw new UnauthenticatedError('Account suspended');
    if (((user.tokenVersion as number | undefined) ?? 0) !== principal.tokenVersion)
      throw new UnauthenticatedError('Access token revoked');
    if (!session || session instanceof Error) throw new UnauthenticatedError('Session ended');
    // Roles come from the stored user, so a role change applies at once.
    return { userId: principal.userId, roles: user.roles as Viewer['roles'], sessionId: principal.sessionId };
  }
}
