import { HttpException, HttpStatus } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLFormattedError } from 'graphql';
import { RequestContext } from '../request-context/request-context';
import { DomainError } from './domain-errors';
import { ErrorCode } from './error-codes';

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

export type InternalErrorReporter = (error: unknown, requestId: string | undefined) => void;

/**
 * The one place where failures become GraphQL errors. Domain errors keep their message and
 * details; anything unexpected is masked, logged with its stack, and answered with the request id.
 */
export function createGraphQLErrorFormatter(report: InternalErrorReporter) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    if (original instanceof DomainError) {
      return { ...base, message: original.message, extensions: { ...original.details, code: original.code } };
    }
    if (original instanceof HttpException) {
      const code = HTTP_STATUS_CODES[original.getStatus()];
      if (code) return { ...base, message: original.message, extensions: { code } };
    }
    const apolloCode = formatted.extensions?.code;
    // Request-level errors (parse, validation, variable coercion) carry no path; an error raised
    // while resolving a field does, and is never trusted to be the client's fault unless typed.
    if (typeof apolloCode === 'string' && CLIENT_FAULT_CODES.has(apolloCode) && !formatted.path) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...base, extensions: { ...extensions, code: apolloCode } };
    }

    const requestId = RequestContext.requestId();
    report(original, requestId);
    return {
      ...base,
      message: `Internal server error${requestId ? ` (request id ${requestId})` : ''}`,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
    };
  };
}
