import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';
import { RequestContext } from '@app/common';
import { AppConfig } from '../config/app-config';

type WithId = Omit<IncomingMessage, 'id'> & { id?: string };

/**
 * Logs with the request id on every line; credentials never reach a log. JSON lines (for log
 * shippers, files and pipes), except for a developer at a terminal: NODE_ENV=development with
 * stdout a TTY gets pino-pretty's human-readable lines.
 */
export function loggerOptions(
  config: AppConfig,
  stdout: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Params {
  const stream: DestinationStream | undefined = config.LOG_FILE
    ? pino.destination({ dest: config.LOG_FILE, mkdir: true, sync: false })
    : prettyForTerminal(config, stdout);
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      ...(stream ? { stream } : {}),
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = (req as WithId).id ?? RequestContext.idFrom(req.headers['x-request-id']);
        res.setHeader('x-request-id', id);
        return id;
      },
      customProps: (req: IncomingMessage) => ({ requestId: (req as WithId).id }),
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
    // Nothing to log: no per-request logger at all. pino-http would still make a child logger and
    // listen for the response's end on every request, and nestjs-pino run it in an
    // AsyncLocalStorage, whose hooks then tax every promise of the process.
    forRoutes: config.LOG_LEVEL === 'silent' ? [] : undefined,
    renameContext: 'context',
  };
}

function prettyForTerminal(
  config: AppConfig,
  stdout: NodeJS.WritableStream & { isTTY?: boolean },
): DestinationStream | undefined {
  if (config.NODE_ENV !== 'development' || !stdout.isTTY) return undefined;
  let pretty: typeof PinoPretty;
  try {
    // A devDependency, required only here: the production image ships without it, and a
    // development run without devDependencies keeps JSON lines.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pretty = require('pino-pretty') as typeof PinoPretty;
  } catch {
    return undefined;
  }
  return pretty({
    destination: stdout,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    // "[Context] message", and a request as "POST /graphql 200 (12 ms) request completed".
    messageFormat:
      '{if context}[{context}] {end}{if req.method}{req.method} {req.url} {res.statusCode} ({responseTime} ms) {end}{msg}',
    ignore: 'pid,hostname,context,req,res,responseTime',
  });
}

/** Calendar feed URLs carry a secret token; keep it out of logs. */
function redactPath(url: string): string {
  return url.replace(/\/calendar\/[^/?]+/, '/calendar/[redacted]');
}
