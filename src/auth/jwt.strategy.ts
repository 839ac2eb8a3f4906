import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { Role } from '../users/user.types';
import { AccessTokenService, JWT_ALGORITHM } from './access-token.service';

export interface TokenPrincipal {
  userId: string;
  roles: Role[];
  sessionId: string;
  tokenVersion: number;
}

/**
 * Verifies the bearer token's signature, algorithm (HS256 only: `alg: none` and every other
 * algorithm are refused), issuer, audience and expiry. Account state is checked by the guard.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig, tokens: AccessTokenService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // The KeyObject built once (see AccessTokenService.key). passport-jwt hands it to
      // jsonwebtoken, which takes key objects; only passport-jwt's types predate them.
      secretOrKey: tokens.key as unknown as string,
      algorithms: [JWT_ALGORITHM],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(payload: { sub?: unknown; roles?: unknown; sid?: unknown; ver?: unknown }): TokenPrincipal | false {
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.sid !== 'string' ||
      typeof payload.ver !== 'number' ||
      !Array.isArray(payload.roles)
    ) {
      return false;
    }
    return { userId: payload.sub, roles: payload.roles as Role[], sessionId: payload.sid, tokenVersion: payload.ver };
  }
}
