import type { FastifyError, FastifyReply } from 'fastify';
import { ErrorCode } from '@app/common';

/** Fastify's refusals of a request body, with the message a client sees (null: Fastify's own). */
const BODY_ERRORS: Record<string, string | null> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than the server accepts.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; it must be JSON.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: null,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: null,
};

/**
 * A body that Fastify refuses (too large, not JSON, an unsupported type) never reaches GraphQL.
 * It is the client's mistake: answer in the GraphQL error shape with BAD_USER_INPUT naming the
 * body and keep the HTTP status (413, 400, 415), instead of letting Nest's unknown-error path
 * log it as a server error. False for any other error, which Nest's exception handling answers.
 */
export function answerBodyError(err: unknown, reply: FastifyReply): boolean {
  const e = err as Partial<FastifyError> | null;
  const status = e?.statusCode ?? 500;
  if (typeof e?.code !== 'string' || !(e.code in BODY_ERRORS) || status < 400 || status >= 500 || reply.sent)
    return false;
  const message = BODY_ERRORS[e.code] ?? e.message ?? 'The request body was refused.';
  void reply
    .status(status)
    .header('cache-control', 'no-store')
    .send({
      errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [{ field: 'body', message }] } }],
    });
  return true;
}
