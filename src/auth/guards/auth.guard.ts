import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { ForbiddenError, UnauthenticatedError } from '@app/common';
import type { GraphQLContext } from '../../graphql/graphql-context';
import { Role } from '../../users/user.types';
import { AccountStateService } from '../account-state.service';
import type { TokenPrincipal } from '../jwt.strategy';
import { IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';

/**
 * The one authentication guard, for HTTP and graphql-ws alike (the context gives both a `req`
 * carrying the Authorization header). Operations require a valid token unless marked @Public;
 * @Roles narrows them further. Ownership is checked in services.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly accountState: AccountStateService,
  ) {
    super();
  }

  override getRequest(context: ExecutionContext) {
    return GqlExecutionContext.create(context).getContext<GraphQLContext>().req;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true; // health, metrics and feeds guard themselves
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const ctx = GqlExecutionContext.create(context).getContext<GraphQLContext>();

    // Root fields of a query run in parallel: they share one authentication per request.
    ctx.authentication ??= this.authenticate(context, ctx);
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

  private async authenticate(context: ExecutionContext, ctx: GraphQLContext): Promise<void> {
    ctx.viewer = null;
    if (!ctx.req?.headers?.authorization) return;
    try {
      await super.canActivate(context);
      const principal = (ctx.req as unknown as { user?: TokenPrincipal }).user;
      ctx.viewer = principal ? await this.accountState.viewerFor(principal, ctx.loaders) : null;
    } catch (err) {
      // Only a verdict about the token or the account makes the caller anonymous; anything else
      // (a store down or late) fails the request as it is, so clients retry instead of logging out.
      if (!(err instanceof UnauthenticatedError)) throw err;
      ctx.authFailure = err.message;
    }
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new UnauthenticatedError('Invalid or expired access token');
    return user;
  }
}
