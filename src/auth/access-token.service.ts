import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { Role } from '../users/user.types';

/** Claims of our access tokens beyond the registered ones (sub, iss, aud, iat, exp). */
export interface AccessClaims {
  sub: string;
  roles: Role[];
  /** Refresh session the token was issued for (logOut ends it). */
  sid: string;
  /** The user's tokenVersion when issued; a bump revokes every outstanding token. */
  ver: number;
}

export const JWT_ALGORITHM = 'HS256';

@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** The claims of a valid token, or null: same checks as the HTTP strategy (algorithm, issuer, audience, expiry). */
  verify(token: string): (AccessClaims & { exp: number }) | null {
    try {
      const claims = this.jwt.verify<AccessClaims & { exp: number }>(token, {
        secret: this.config.jwtSecret,
        algorithms: [JWT_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
      return typeof claims.sub === 'string' && typeof claims.sid === 'string' ? claims : null;
    } catch {
      return null;
    }
  }

  issue(claims: AccessClaims): { token: string; expiresAt: Date } {
    const ttl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const token = this.jwt.sign(
      { roles: claims.roles, sid: claims.sid, ver: claims.ver },
      {
        subject: claims.sub,
        algorithm: JWT_ALGORITHM,
        secret: this.config.jwtSecret,
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        expiresIn: ttl,
      },
    );
    // jsonwebtoken stamps `iat`/`exp` from the system clock and checks them against it, so the
    // reported expiry must come from the same clock (not the injected one tests move forward).
    // eslint-disable-next-line no-restricted-syntax
    return { token, expiresAt: new Date(Date.now() + ttl * 1000) };
  }
}
