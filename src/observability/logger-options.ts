import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import { RequestContext } from '@app/common';
import { AppConfig } from '../config/app-config';

type WithId = Omit<IncomingMessage, 'id'> & { id?: string };

/** JSON logs with the request id on every line; credentials never reach a log. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      ...(config.LOG_FILE ? { stream: pino.destination({ dest: config.LOG_FILE, mkdir: true, sync: false }) } : {}),
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = (req as WithId).id ?? RequestContext.idFrom(req.headers['x-request-id']);
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: () => ({ requestId: RequestContext.requestId() }),
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.refreshToken',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactPath(req.url),
        }),
      },
    },
    renameContext: 'context',
  };
}

/** Calendar feed URLs carry a secret token; keep it out of logs. */
function redactPath(url: string): string {
  return url.replace(/\/calendar\/[^/?]+/, '/calendar/[redacted]');
}
