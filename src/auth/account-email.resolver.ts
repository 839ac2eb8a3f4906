import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { EmailAddressScalar } from '@app/common';
import type { GraphQLContext } from '../graphql/graphql-context';
import { UserModel } from '../users/models/user.model';
import { presentUser } from '../users/user.presenter';
import type { Viewer } from './viewer';
import { AccountEmailService } from './account-email.service';
import { ChangeEmailInput, ResetPasswordInput } from './dto/account-email.inputs';
import { CurrentViewer, Public } from './guards/auth.decorators';
import { PasswordResetService } from './password-reset.service';

@Resolver()
export class AccountEmailResolver {
  constructor(
    private readonly emails: AccountEmailService,
    private readonly resets: PasswordResetService,
  ) {}

  @Public()
  @Mutation(() => Boolean, {
    description:
      'Confirms the e-mail address with the token from the verification mail. A used, expired or unknown token is BAD_USER_INPUT naming `token`, its message saying which.',
  })
  verifyEmail(
    @Args('token', { description: 'The token from the link of the verification mail.' }) token: string,
  ): Promise<boolean> {
    return this.emails.verify(token);
  }

  @Mutation(() => Boolean, {
    description: 'Sends the verification mail again (the previous link stops working). Rate-limited.',
  })
  resendVerificationEmail(@CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.emails.resend(viewer);
  }

  @Mutation(() => UserModel, {
    description:
      'Moves the account to another address (checked with the password). The new address must be confirmed; the old one is told.',
  })
  async changeEmail(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The new address and the current password.' }) input: ChangeEmailInput,
  ): Promise<UserModel> {
    return presentUser(await this.emails.change(viewer, input), viewer);
  }

  @Public()
  @Mutation(() => Boolean, {
    description:
      'Mails a password-reset link valid 30 minutes if the address has an account. Always answers true (it tells nobody which addresses exist). Rate-limited.',
  })
  requestPasswordReset(
    @Args('email', { type: () => EmailAddressScalar, description: 'The address of the account.' }) email: string,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    return this.resets.request(email, ctx.clientIp);
  }

  @Public()
  @Mutation(() => Boolean, {
    description:
      'Sets a new password with the token from the reset mail; every session and access token of the account ends. Log in afterwards.',
  })
  resetPassword(
    @Args('input', { description: 'The token from the reset mail and the new password.' }) input: ResetPasswordInput,
    @Context() ctx: GraphQLContext,
  ): Promise<boolean> {
    return this.resets.reset(input, ctx.clientIp);
  }
}
