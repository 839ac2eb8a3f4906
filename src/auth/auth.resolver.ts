import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../graphql/graphql-context';
import { presentUser } from '../users/user.presenter';
import type { Viewer } from './viewer';
import { AuthService, IssuedSession } from './auth.service';
import { AccountDeletionService } from './account-deletion.service';
import { ChangePasswordInput, DeleteMyAccountInput, LogInInput, SignUpInput } from './dto/auth.inputs';
import { CurrentViewer, Public } from './guards/auth.decorators';
import { AuthPayload } from './models/auth-payload.model';

function payload(issued: IssuedSession): AuthPayload {
  return {
    ...issued,
    user: presentUser(issued.user, { userId: issued.user.id, roles: issued.user.roles, sessionId: '' }),
  };
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly deletion: AccountDeletionService,
  ) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Creates a STUDENT or TEACHER account and logs it in.' })
  async signUp(
    @Args('input', { description: 'The new account.' }) input: SignUpInput,
    @Context() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    return payload(await this.auth.signUp(input, ctx.clientIp));
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Wrong password and unknown e-mail give the same UNAUTHENTICATED error.',
  })
  async logIn(
    @Args('input', { description: 'E-mail address and password.' }) input: LogInInput,
    @Context() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    return payload(await this.auth.logIn(input, ctx.clientIp));
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (once) for a new access and refresh token.' })
  async refreshSession(
    @Args('refreshToken', { description: 'The refresh token of the last AuthPayload.' }) refreshToken: string,
  ): Promise<AuthPayload> {
    return payload(await this.auth.refresh(refreshToken));
  }

  @Mutation(() => Boolean, { description: 'Ends this login; other devices stay logged in.' })
  logOut(@CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.auth.logOut(viewer);
  }

  @Mutation(() => Boolean, { description: 'Ends every login of the viewer and revokes every access token.' })
  logOutEverywhere(@CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.auth.logOutEverywhere(viewer);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes your account for good (password required): every session ends, the e-mail address is freed, your media and teacher profile are removed from view.',
  })
  deleteMyAccount(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'Your password, to confirm.' }) input: DeleteMyAccountInput,
  ): Promise<boolean> {
    return this.deletion.deleteMine(viewer, input.password);
  }

  @Mutation(() => AuthPayload, { description: 'Revokes every session and returns a new one for this device.' })
  async changePassword(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The current and the new password.' }) input: ChangePasswordInput,
  ): Promise<AuthPayload> {
    return payload(await this.auth.changePassword(viewer, input));
  }
}
