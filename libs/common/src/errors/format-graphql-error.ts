import { HttpException, HttpStatus } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { RequestContext } from '../request-context/request-context';
import { DomainError } from './domain-errors';
import { ErrorCode } from './error-codes';
import { illFormedLiteralProblem } from './ill-formed-literal';
import { requestInputProblems } from './request-input-problems';
import { StoreFailureClassifier, StoreName } from './store-unavailable';

/** Codes Apollo and graphql-js assign to malformed requests; they describe the client's mistake, so they pass through. */
const CLIENT_FAULT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

const HTTP_STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.BAD_USER_INPUT,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHENTICATED,
  [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.CONFLICT]: ErrorCode.CONFLICT,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.SERVICE_UNAVAILABLE,
};

/** The one-shape rule holds for Nest's HTTP exceptions too (guards and pipes outside our code). */
function httpExceptionExtensions(
  code: ErrorCode,
  error: HttpException,
  requestId: string | undefined,
): Record<string, unknown> {
  switch (code) {
    case ErrorCode.BAD_USER_INPUT:
      return { code, fields: [{ field: 'request', message: error.message }] };
    case ErrorCode.NOT_FOUND:
      return { code, entity: 'Resource' };
    case ErrorCode.CONFLICT:
      return { code, reason: 'CONFLICT' };
    case ErrorCode.RATE_LIMITED:
      return { code, retryAfterSeconds: 1 };
    case ErrorCode.SERVICE_UNAVAILABLE:
      return serviceUnavailableExtensions(requestId);
    default:
      return { code };
  }
}

export type InternalErrorReporter = (error: unknown, requestId: string | undefined) => void;

export interface GraphQLErrorFormatterOptions {
  /** Unexpected errors: the client sees a masked message, this logs the real one with its stack. */
  reportInternal: InternalErrorReporter;
  /** Which store, if any, an error says is unreachable or late (see src/stores/store-failures.ts). */
  classifyStoreFailure?: StoreFailureClassifier;
  /** Called once per error answered SERVICE_UNAVAILABLE because of a store (logs, metrics). */
  reportStoreUnavailable?: (store: StoreName, error: unknown, requestId: string | undefined) => void;
}

/** What a client sees when a backing service failed it: retry the same request later. */
export function serviceUnavailableExtensions(requestId: string | undefined) {
  return { code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true, requestId };
}

export const SERVICE_UNAVAILABLE_MESSAGE = 'A backing service is unavailable or slow; retry shortly';

/**
 * The one place where failures become GraphQL errors. Domain errors keep their message and
 * details; a store that is down or late becomes SERVICE_UNAVAILABLE (retryable, with the request
 * id), never "not found" or "unauthenticated"; anything else unexpected is masked, logged with
 * its stack, and answered with the request id.
 */
export function createGraphQLErrorFormatter(options: GraphQLErrorFormatterOptions) {
  const { reportInternal, classifyStoreFailure, reportStoreUnavailable } = options;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    const store = classifyStoreFailure?.(original);
    if (store) {
      const requestId = RequestContext.requestIdOf(error);
      reportStoreUnavailable?.(store, original, requestId);
      const message = `${SERVICE_UNAVAILABLE_MESSAGE}${requestId ? ` (request id ${requestId})` : ''}`;
      return { ...base, message, extensions: serviceUnavailableExtensions(requestId) };
    }
    if (original instanceof DomainError && original.code === ErrorCode.SERVICE_UNAVAILABLE) {
      const extensions = { ...original.details, ...serviceUnavailableExtensions(RequestContext.requestIdOf(error)) };
      return { ...base, message: original.message, extensions };
    }
    if (original instanceof DomainError) {
      return { ...base, message: original.message, extensions: { ...original.details, code: original.code } };
    }
    if (original instanceof HttpException) {
      const code = HTTP_STATUS_CODES[original.getStatus()];
      if (code)
        return {
          ...base,
          message: original.message,
          extensions: httpExceptionExtensions(code, original, RequestContext.requestIdOf(error)),
        };
    }
    const apolloCode = formatted.extensions?.code;
    // A lone surrogate written into a literal is refused by the parser; name its field as for a variable.
    const literal = apolloCode === 'GRAPHQL_PARSE_FAILED' ? illFormedLiteralProblem(original) : null;
    if (literal) {
      return {
        ...base,
        message: `${literal.field}: ${literal.message}`,
        extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [literal] },
      };
    }
    // Request-level errors (parse, validation, variable coercion) carry no path; an error raised
    // while resolving a field does, and is never trusted to be the client's fault unless typed.
    if (typeof apolloCode === 'string' && CLIENT_FAULT_CODES.has(apolloCode) && !formatted.path) {
      // A variable that does not coerce, or a literal one of our scalars refused, is invalid input
      // like any other: BAD_USER_INPUT naming the field.
      const fields =
        requestInputProblems(error) ??
        (apolloCode === ErrorCode.BAD_USER_INPUT ? [{ field: 'variables', message: formatted.message }] : null);
      if (fields) return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT, fields } };
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...base, extensions: { ...extensions, code: apolloCode } };
    }

    // Apollo refuses some requests (a persisted-query hash that does not match) with a 4xx status
    // and no code; they are the client's mistake too.
    if (!formatted.path && isClientStatus(error) && (!apolloCode || apolloCode === ErrorCode.INTERNAL_SERVER_ERROR)) {
      return { ...base, extensions: { code: 'BAD_REQUEST' } };
    }

    const requestId = RequestContext.requestIdOf(error);
    reportInternal(original, requestId);
    return {
      ...base,
      message: `Internal server error${requestId ? ` (request id ${requestId})` : ''}`,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId, retryable: false },
    };
  };
}

/** A GraphQL error carrying an HTTP status of 4xx (Apollo's `extensions.http`). */
function isClientStatus(error: unknown): boolean {
  const status =
    error instanceof GraphQLError ? (error.extensions?.http as { status?: unknown } | undefined)?.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}
