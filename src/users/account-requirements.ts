import { ForbiddenError } from '@app/common';

/**
 * The account has not confirmed its e-mail address yet (`verifyEmail`). It may log in and look
 * around, but not book (nor, once messaging exists, write to anyone). FORBIDDEN keeps its one
 * shape (decision 0013): a client tells this case by `me { emailVerified }` and offers to resend.
 */
export class EmailNotVerifiedError extends ForbiddenError {
  constructor(action: string) {
    super(`Confirm your e-mail address before you ${action}; resendVerificationEmail sends the link again`);
  }
}
