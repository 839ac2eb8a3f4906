import { Injectable } from '@nestjs/common';
import { ulid } from 'ulid';
import {
  canonicalTimeZone,
  Clock,
  ConflictError,
  ForbiddenError,
  UnauthenticatedError,
  ValidationFailedError,
} from '@app/common';
import { AppConfig } from '../config/app-config';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { EmailTakenError, UsersService } from '../users/users.service';
import { Locale, normaliseEmail, Role, User, UserStatus } from '../users/user.types';
import { DomainEvents } from '../events/domain-events.service';
import { AccountTokenPurpose, AccountTokensService } from './account-tokens.service';
import type { Viewer } from './viewer';
import { AccountEventsService } from '../users/account-events.service';
import { AccessTokenService } from './access-token.service';
import { AccountEventType } from '../users/models/account-event.model';
import { ChangePasswordInput, LogInInput, SignUpInput } from './dto/auth.inputs';
import { PasswordService } from './password.service';
import { formatRefreshToken, hashSecret, newSecret, parseRefreshToken, secretMatches } from './refresh-token';
import { SessionRotationConflict } from './auth.errors';
import { RefreshSession, SessionsRepository } from './sessions.repository';
import { SocketSessionsService } from './socket-sessions.service';

export interface IssuedSession {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: User;
}

const INVALID_CREDENTIALS = 'Invalid e-mail or password';
const INVALID_REFRESH = 'Invalid or expired refresh token';

@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordService,
    private readonly accessTokens: AccessTokenService,
    private readonly limiter: RateLimiterService,
    private readonly events: AccountEventsService,
    private readonly sockets: SocketSessionsService,
    private readonly tokens: AccountTokensService,
    private readonly domainEvents: DomainEvents,
  ) {}

  async signUp(input: SignUpInput, clientIp: string): Promise<IssuedSession> {
    const email = normaliseEmail(input.email);
    await this.limitAttempts('signUp', clientIp, email);
    const now = this.clock.now().toISOString();
    const user: User = {
      id: ulid(),
      email,
      displayName: input.displayName,
      roles: [input.role as unknown as Role],
      timeZone: canonicalTimeZone(input.timeZone)!,
      locale: input.locale ?? Locale.EN,
      status: UserStatus.ACTIVE,
      emailVerified: false,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    // The verification link is issued in the account's own transaction: no account without one.
    const verification = this.tokens.issue(
      AccountTokenPurpose.VERIFY_EMAIL,
      user.id,
      email,
      this.config.EMAIL_VERIFICATION_TTL_HOURS * 3600,
    );
    try {
      await this.users.create(user, await this.passwords.hash(input.password), verification.parts);
    } catch (err) {
      if (err instanceof EmailTakenError) {
        throw new ConflictError('An account with this e-mail address already exists', {
          reason: 'EMAIL_TAKEN',
          field: 'input.email',
        });
      }
      throw err;
    }
    this.domainEvents.publish(verification.event);
    return this.startSession(user, ulid());
  }

  /** Unknown e-mail and wrong password fail identically, in the same time (no account enumeration). */
  async logIn(input: LogInInput, clientIp: string): Promise<IssuedSession> {
    const email = normaliseEmail(input.email);
    const failuresKey = `logIn:failures:${email}`;
    await this.limiter.consume(
      `logIn:ip:${clientIp}`,
      this.config.AUTH_RATE_LIMIT_PER_IP,
      this.config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );
    // Count the attempt before checking the password, so a burst of parallel guesses cannot all
    // pass the check; a successful log-in clears the count.
    await this.limiter.consume(
      failuresKey,
      this.config.AUTH_RATE_LIMIT_PER_ACCOUNT,
      this.config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );

    const found = await this.users.credentialsByEmail(email);
    const valid = await this.passwords.verify(found?.passwordHash, input.password);
    if (!found || !valid) throw new UnauthenticatedError(INVALID_CREDENTIALS);
    // Only after the password proved ownership may we say the account is suspended.
    if (found.user.status !== UserStatus.ACTIVE) throw new ForbiddenError('This account is suspended');
    await this.limiter.reset(failuresKey);
    return this.startSession(found.user, ulid());
  }

  /**
   * Exchanges a refresh token for a new pair. A token that was already rotated means it leaked
   * (or a client raced itself): the whole family is revoked and the caller must log in again.
   */
  async refresh(refreshToken: string): Promise<IssuedSession> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw new UnauthenticatedError(INVALID_REFRESH);
    const session = await this.sessions.get(parsed.userId, parsed.sessionId);
    if (
      !session ||
      session.expiresAt * 1000 <= this.clock.now().getTime() ||
      !secretMatches(parsed.secret, session.tokenHash)
    ) {
      throw new UnauthenticatedError(INVALID_REFRESH);
    }
    if (session.status !== 'ACTIVE') {
      await this.revokeFamily(session);
      throw new UnauthenticatedError('Refresh token was already used; every session of this login has been ended');
    }
    const found = await this.users.credentialsById(parsed.userId);
    if (!found || found.user.status !== UserStatus.ACTIVE) {
      await this.revokeFamily(session);
      throw new UnauthenticatedError(found ? 'Account suspended' : INVALID_REFRESH);
    }
    // A session from before log-out-everywhere, a password change or a suspension is void, even
    // if the revocation has not deleted it yet.
    if ((session.tokenVersion ?? 0) !== found.user.tokenVersion) {
      await this.revokeFamily(session);
      throw new UnauthenticatedError(INVALID_REFRESH);
    }
    const next = this.newSession(found.user, session.familyId);
    try {
      await this.sessions.rotate(session, next.session, found.user.tokenVersion);
    } catch (err) {
      if (err instanceof SessionRotationConflict) {
        await this.revokeFamily(session);
        throw new UnauthenticatedError('Refresh token was already used; every session of this login has been ended');
      }
      throw err;
    }
    return this.issue(found.user, next.session, next.secret);
  }

  /** Ends the viewer's current login (its whole refresh family); other devices stay logged in. */
  async logOut(viewer: Viewer): Promise<boolean> {
    const session = await this.sessions.get(viewer.userId, viewer.sessionId);
    if (session) await this.revokeFamily(session);
    else await this.sockets.revoke(viewer.userId, [viewer.sessionId]);
    return true;
  }

  /** Ends every session and invalidates every access token of the viewer. */
  async logOutEverywhere(viewer: Viewer): Promise<boolean> {
    await this.users.update(viewer.userId, {}, { bumpTokenVersion: true });
    await this.revokeAllSessions(viewer.userId);
    await this.events.publish(viewer.userId, AccountEventType.SESSIONS_REVOKED);
    return true;
  }

  /** Revokes every session, then starts a fresh one for the device that changed the password. */
  async changePassword(viewer: Viewer, input: ChangePasswordInput): Promise<IssuedSession> {
    const failuresKey = `changePassword:failures:${viewer.userId}`;
    // Counted before the check, as for logIn; a correct password clears the count.
    await this.limiter.consume(
      failuresKey,
      this.config.AUTH_RATE_LIMIT_PER_ACCOUNT,
      this.config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );
    const found = await this.users.credentialsById(viewer.userId);
    if (!found || !(await this.passwords.verify(found.passwordHash, input.currentPassword))) {
      throw ValidationFailedError.field('input.currentPassword', 'currentPassword is not correct');
    }
    await this.limiter.reset(failuresKey);
    // The notice mail goes out with the change (someone else may know the old password).
    const changed = this.domainEvents.record('account.password_changed', { userId: viewer.userId, via: 'CHANGE' });
    const user = await this.users.update(
      viewer.userId,
      { passwordHash: await this.passwords.hash(input.newPassword) },
      { bumpTokenVersion: true, also: changed.parts },
    );
    await this.revokeAllSessions(viewer.userId);
    this.domainEvents.publish(changed);
    await this.events.publish(viewer.userId, AccountEventType.PASSWORD_CHANGED);
    return this.startSession(user, ulid());
  }

  /** Every refresh session ends, and every open subscription socket closes. */
  async revokeAllSessions(userId: string): Promise<void> {
    await this.sessions.deleteMany(await this.sessions.listForUser(userId));
    await this.sockets.revoke(userId);
  }

  private async limitAttempts(operation: string, clientIp: string, email: string): Promise<void> {
    const { AUTH_RATE_LIMIT_PER_IP, AUTH_RATE_LIMIT_PER_ACCOUNT, AUTH_RATE_LIMIT_WINDOW_SECONDS } = this.config;
    await this.limiter.consume(`${operation}:ip:${clientIp}`, AUTH_RATE_LIMIT_PER_IP, AUTH_RATE_LIMIT_WINDOW_SECONDS);
    await this.limiter.consume(
      `${operation}:account:${email}`,
      AUTH_RATE_LIMIT_PER_ACCOUNT,
      AUTH_RATE_LIMIT_WINDOW_SECONDS,
    );
  }

  /**
   * Ends one login: every session of its refresh family, and the sockets opened with any access
   * token of it (a socket keeps the session id of the token it connected with, which may predate
   * later refreshes). Tokens of sessions older than the access-token lifetime have expired, and
   * their sockets closed with them, so only recent sessions are named.
   */
  private async revokeFamily(session: RefreshSession): Promise<void> {
    // First the marker, so a refresh racing this cannot rotate the family back to life.
    const now = this.clock.now();
    await this.sessions.markFamilyRevoked(
      session.userId,
      session.familyId,
      now,
      Math.floor(now.getTime() / 1000) + this.config.REFRESH_TOKEN_TTL_DAYS * 86400,
    );
    const family = (await this.sessions.listForUser(session.userId)).filter((s) => s.familyId === session.familyId);
    await this.sessions.deleteMany(family);
    // Access tokens live in real time (jsonwebtoken checks `exp` against the system clock).
    // eslint-disable-next-line no-restricted-syntax
    const since = Date.now() - (this.config.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    const recent = family.filter((s) => Date.parse(s.createdAt) >= since).map((s) => s.sessionId);
    await this.sockets.revoke(session.userId, [...new Set([session.sessionId, ...recent])]);
  }

  private async startSession(user: User, familyId: string): Promise<IssuedSession> {
    const { session, secret } = this.newSession(user, familyId);
    await this.sessions.create(session);
    return this.issue(user, session, secret);
  }

  private newSession(user: User, familyId: string): { session: RefreshSession; secret: string } {
    const userId = user.id;
    const secret = newSecret();
    const now = this.clock.now();
    const expiresAt = Math.floor(now.getTime() / 1000) + this.config.REFRESH_TOKEN_TTL_DAYS * 86400;
    return {
      secret,
      session: {
        userId,
        sessionId: ulid(),
        familyId,
        tokenHash: hashSecret(secret),
        status: 'ACTIVE',
        createdAt: now.toISOString(),
        expiresAt,
        tokenVersion: user.tokenVersion,
      },
    };
  }

  private issue(user: User, session: RefreshSession, secret: string): IssuedSession {
    const access = this.accessTokens.issue({
      sub: user.id,
      roles: user.roles,
      sid: session.sessionId,
      ver: user.tokenVersion,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: formatRefreshToken(user.id, session.sessionId, secret),
      refreshTokenExpiresAt: new Date(session.expiresAt * 1000),
      user,
    };
  }
}
