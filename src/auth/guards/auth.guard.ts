import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ForbiddenError, UnauthenticatedError } from '@app/common';
import type { GraphQLContext } from '../../graphql/graphql-context';
import { Role } from '../../users/user.types';
import { AccessTokenService } from '../access-token.service';
import { AccountStateService } from '../account-state.service';
import { IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';

/**
 * The one authentication guard, for HTTP and graphql-ws alike (the context gives both a `req`
 * carrying the Authorization header). Operations require a valid token unless marked @Public;
 * @Roles narrows them further. Ownership is checked in services. The token is checked by
 * AccessTokenService directly (no Passport: its strategy layer cost about a tenth of a `me`
 * request's CPU in the overhead benchmark and checked nothing more).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
    private readonly accountState: AccountStateService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true; // health, metrics and feeds guard themselves
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const ctx = GqlExecutionContext.create(context).getContext<GraphQLContext>();

    // Root fields of a query run in parallel: they share one authentication per request.
    ctx.authentication ??= this.authenticate(ctx);
    await ctx.authentication;

    if (!ctx.viewer) {
      if (isPublic) return true;
      throw new UnauthenticatedError(ctx.authFailure ?? 'Authentication required');
    }
    if (roles && !roles.some((r) => ctx.viewer!.roles.includes(r))) {
      throw new ForbiddenError(`Requires role ${roles.join(' or ')}`);
    }
    return true;
  }

  private async authenticate(ctx: GraphQLContext): Promise<void> {
    ctx.viewer = null;
    const header = ctx.req?.headers?.authorization;
    if (!header) return;
    const principal = this.tokens.principalOf(header);
    if (!principal) {
      ctx.authFailure = 'Invalid or expired access token';
      return;
    }
    try {
      ctx.viewer = await this.accountState.viewerFor(principal, ctx.loaders);
    } catch (err) {
      // Only a verdict about the account makes the caller anonymous; anything else (a store down
      // or late) fails the request as it is, so clients retry instead of logging out.
      if (!(err instanceof UnauthenticatedError)) throw err;
      ctx.authFailure = err.message;
    }
  }
}
