import { IntrinsicException } from '@nestjs/common';
import { ErrorCode } from './error-codes';

export interface FieldProblem {
  /** Dotted path of the offending input, e.g. `input.email`. */
  field: string;
  message: string;
}

/**
 * Base of every error a client is meant to see. Services throw these; the single formatter in
 * `format-graphql-error.ts` turns them into `extensions.code` plus `extensions` details.
 * Nest does not log IntrinsicExceptions: an expected client error is not a server failure.
 */
export abstract class DomainError extends IntrinsicException {
  abstract readonly code: ErrorCode;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message = 'Authentication required') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

export class ValidationFailedError extends DomainError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(readonly fields: FieldProblem[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
  }

  static field(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }]);
  }
}

export class NotFoundError extends DomainError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(entity: string, id?: string) {
    super(id ? `${entity} ${id} was not found` : `${entity} was not found`, { entity });
  }
}

export class ConflictError extends DomainError {
  readonly code = ErrorCode.CONFLICT;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

export class SlotUnavailableError extends DomainError {
  readonly code = ErrorCode.SLOT_UNAVAILABLE;
  constructor(message = 'That time is no longer available', details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

export class RateLimitedError extends DomainError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

export class ServiceUnavailableError extends DomainError {
  readonly code = ErrorCode.SERVICE_UNAVAILABLE;
  constructor(message = 'A backing service is unavailable; try again shortly') {
    super(message);
  }
}
