import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '@app/common';

/** What body-parser attaches to the errors it raises (`type` such as `entity.too.large`). */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  const e = err as Partial<BodyParserError> | null;
  return (
    typeof e?.type === 'string' &&
    /^(entity\.|encoding\.|charset\.|request\.)/.test(e.type) &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500
  );
}

const MESSAGES: Record<string, string> = {
  'entity.too.large': 'The request body is larger than the server accepts.',
  'entity.parse.failed': 'The request body is not valid JSON.',
};

/**
 * A body that body-parser refuses (too large, not JSON, an unsupported charset) never reaches
 * GraphQL. It is the client's mistake: answer in the GraphQL error shape with BAD_USER_INPUT
 * naming the body and keep the HTTP status (413, 400, 415), instead of letting Nest's
 * unknown-error path log it as a server error.
 */
export function requestBodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (!isBodyParserError(err) || res.headersSent) return next(err);
  const message = MESSAGES[err.type] ?? err.message;
  res
    .status(err.status)
    .set('Cache-Control', 'no-store')
    .json({
      errors: [
        {
          message,
          extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [{ field: 'body', message }] },
        },
      ],
    });
}
