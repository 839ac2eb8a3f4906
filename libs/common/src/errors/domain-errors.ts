import { IntrinsicException } from '@nestjs/common';
import { ErrorCode } from './error-codes';

/**
 * The extensions each code carries besides `code`: one shape per code, part of the API contract
 * (README "Errors, for client developers"). The constructors below are the only way to build them,
 * so a service cannot invent a shape.
 */
export interface FieldProblem {
  /** Dotted path of the offending input, e.g. `input.email` or `input.windows.2.end`. */
  field: string;
  message: string;
}

const REASON = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** A stable machine-readable reason: SCREAMING_SNAKE_CASE, e.g. `SLUG_TAKEN`. */
export type ErrorReason = Uppercase<string>;

export interface ConflictDetails {
  reason: ErrorReason;
  /** The input the conflict is about, when one is (e.g. `input.slug`). */
  field?: string;
  /** The status of the thing as it is now (e.g. a lesson's), when the conflict is about its state. */
  currentStatus?: string;
  /** What is lacking (e.g. profile fields needed to publish). */
  missing?: string[];
}

/** One start that cannot be booked. */
export interface SlotConflict {
  /** The requested start, ISO-8601 UTC. */
  start: string;
  /** Its calendar date in the teacher's zone, YYYY-MM-DD. */
  localDate: string;
  reason: SlotConflictReason;
}

export enum SlotConflictReason {
  /** Another booking (or its buffer) holds the time. */
  TAKEN = 'TAKEN',
  /** Outside the teacher's weekly windows or date overrides (e.g. a day off). */
  OUTSIDE_AVAILABILITY = 'OUTSIDE_AVAILABILITY',
  /** In the past, or inside the teacher's minimum notice. */
  TOO_SOON = 'TOO_SOON',
  /** Beyond the teacher's booking horizon (maxAdvanceDays). */
  TOO_FAR_AHEAD = 'TOO_FAR_AHEAD',
}

/** A refusal that names the argument pointing at what is refused (chat: a foreign conversation). */
export interface ForbiddenDetails {
  reason?: ErrorReason;
  /** The argument, e.g. `input.conversationId`. */
  field?: string;
}

type DetailsOf<C extends ErrorCode> = C extends ErrorCode.BAD_USER_INPUT
  ? { fields: FieldProblem[] }
  : C extends ErrorCode.NOT_FOUND
    ? { entity: string; field?: string }
    : C extends ErrorCode.CONFLICT
      ? ConflictDetails
      : C extends ErrorCode.FORBIDDEN
        ? ForbiddenDetails
        : C extends ErrorCode.SLOT_UNAVAILABLE
          ? { conflicts: SlotConflict[] }
          : C extends ErrorCode.RATE_LIMITED
            ? { retryAfterSeconds: number }
            : Record<string, never>;

/**
 * Base of every error a client is meant to see. Services throw the subclasses below; the single
 * formatter in `format-graphql-error.ts` turns them into `extensions.code` plus the details.
 * Nest does not log IntrinsicExceptions: an expected client error is not a server failure.
 */
export abstract class DomainError<C extends ErrorCode = ErrorCode> extends IntrinsicException {
  abstract readonly code: C;

  protected constructor(
    message: string,
    readonly details: DetailsOf<C>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError<ErrorCode.UNAUTHENTICATED> {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message = 'Authentication required') {
    super(message, {});
  }
}

export class ForbiddenError extends DomainError<ErrorCode.FORBIDDEN> {
  readonly code = ErrorCode.FORBIDDEN;
  constructor(message = 'You are not allowed to do this', details: ForbiddenDetails = {}) {
    super(message, withoutUndefined(details));
    if (details.reason !== undefined && !REASON.test(details.reason))
      throw new TypeError(`ForbiddenError reason must be SCREAMING_SNAKE_CASE`);
  }
}

export class ValidationFailedError extends DomainError<ErrorCode.BAD_USER_INPUT> {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(readonly fields: FieldProblem[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
    if (fields.length === 0) throw new TypeError('ValidationFailedError needs at least one field problem');
  }

  static field(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }]);
  }
}

/** Thrown by mutations acting on something missing; lookups by id answer null instead. */
export class NotFoundError extends DomainError<ErrorCode.NOT_FOUND> {
  readonly code = ErrorCode.NOT_FOUND;
  /** `field`: the argument that named it, when the client should know which one. */
  constructor(entity: string, id?: string, field?: string) {
    super(id ? `${entity} ${id} was not found` : `${entity} was not found`, withoutUndefined({ entity, field }));
  }
}

export class ConflictError extends DomainError<ErrorCode.CONFLICT> {
  readonly code = ErrorCode.CONFLICT;
  constructor(message: string, details: ConflictDetails) {
    super(message, withoutUndefined(details));
    // The type admits any upper-case string; the runtime check keeps reasons to SCREAMING_SNAKE_CASE.
    if (!REASON.test(details.reason)) throw new TypeError(`ConflictError reason must be SCREAMING_SNAKE_CASE`);
  }
}

export class SlotUnavailableError extends DomainError<ErrorCode.SLOT_UNAVAILABLE> {
  readonly code = ErrorCode.SLOT_UNAVAILABLE;
  constructor(message: string, conflicts: SlotConflict[]) {
    super(message, { conflicts });
    if (conflicts.length === 0) throw new TypeError('SlotUnavailableError needs at least one conflict');
  }
}

export class RateLimitedError extends DomainError<ErrorCode.RATE_LIMITED> {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** A backing store is down or late. The formatter adds `requestId` and `retryable: true`. */
export class ServiceUnavailableError extends DomainError<ErrorCode.SERVICE_UNAVAILABLE> {
  readonly code = ErrorCode.SERVICE_UNAVAILABLE;
  constructor(message = 'A backing service is unavailable; try again shortly') {
    super(message, {});
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
