import type { IncomingMessage } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { InputValidationPipe, RequestContext } from '@app/common';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { loadConfig } from './config/load-config';
import { answerBodyError } from './graphql/request-body-errors';
import { httpMetricsHook } from './observability/http-metrics.hook';
import { MetricsService } from './observability/metrics.service';

/** Directives that let Apollo's embedded sandbox load in development; production keeps helmet's strict default. */
const SANDBOX_CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'", 'https://embeddable-sandbox.cdn.apollographql.com'],
    styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
    imgSrc: ["'self'", 'data:', 'https://apollo-server-landing-page.cdn.apollographql.com'],
    fontSrc: ["'self'", 'https://fonts.gstatic.com'],
    frameSrc: ["'self'", 'https://sandbox.embed.apollographql.com'],
    connectSrc: ["'self'", 'https://*.apollographql.com'],
    manifestSrc: ["'self'", 'https://apollo-server-landing-page.cdn.apollographql.com'],
  },
};

/**
 * Builds a fully configured server (used by main.ts and by the tests, so both run the same
 * pipeline). Fastify rather than Express: see docs/decisions/0020-fastify-adapter.md.
 */
export async function createApp(options: AppModuleOptions = {}): Promise<NestFastifyApplication> {
  // The adapter needs the proxy and body settings before the module (and its AppConfig) exists;
  // the module validates the same values again and reports any problem.
  const settings = loadConfig(options.config ?? {});
  const adapter = new AppFastifyAdapter({
    trustProxy: settings.TRUST_PROXY,
    bodyLimit: settings.httpBodyLimitBytes,
    // A proxy's well-formed x-request-id is kept, otherwise a new sortable id (see RequestContext).
    genReqId: (req: IncomingMessage) => RequestContext.idFrom(req.headers['x-request-id']),
    requestIdHeader: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
    // Webhooks are verified against the exact bytes received (req.rawBody).
    rawBody: true,
    abortOnError: false,
  });
  configureApp(app);
  return app;
}

/** Nest installs its exception handling as Fastify's error handler at init; refused bodies are answered first. */
class AppFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(handler: Parameters<FastifyAdapter['setErrorHandler']>[0]) {
    return super.setErrorHandler(function (this: unknown, err, request, reply) {
      if (answerBodyError(err, reply)) return;
      return (handler as (...args: unknown[]) => unknown).call(this, err, request, reply);
    } as typeof handler);
  }
}

export function configureApp(app: NestFastifyApplication): INestApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    // pino-http and the error paths read the id from the Node request.
    (request.raw as { id?: string }).id = request.id;
    void reply.header('x-request-id', request.id);
    done();
  });
  httpMetricsHook(fastify, app.get(MetricsService));
  // helmet's middleware built once (@fastify/helmet builds it again on every request, CSP parsing included).
  const securityHeaders = helmet({
    contentSecurityPolicy: config.sandbox ? SANDBOX_CSP : undefined,
    crossOriginEmbedderPolicy: false,
  });
  fastify.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  app.useGlobalPipes(new InputValidationPipe());
  return app;
}
