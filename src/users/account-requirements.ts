import { DomainError, ErrorCode } from '@app/common';

/**
 * The account has not confirmed its e-mail address yet (`verifyEmail`). It may log in and look
 * around, but not book (nor, once messaging exists, write to anyone): FORBIDDEN with
 * `extensions.reason: "EMAIL_NOT_VERIFIED"`, so a client can offer to resend the mail.
 */
export class EmailNotVerifiedError extends DomainError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(action: string) {
    super(`Confirm your e-mail address before you ${action}; resendVerificationEmail sends the link again`, {
      reason: 'EMAIL_NOT_VERIFIED',
    });
  }
}
