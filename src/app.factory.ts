import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { InputValidationPipe } from '@app/common';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { requestBodyErrors } from './graphql/request-body-errors';

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

/** Builds a fully configured server (used by main.ts and by the tests, so both run the same pipeline). */
export async function createApp(options: AppModuleOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bufferLogs: true,
    bodyParser: false,
    // Webhooks are verified against the exact bytes received (req.rawBody).
    rawBody: true,
    abortOnError: false,
  });
  configureApp(app);
  return app;
}

export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(
    helmet({ contentSecurityPolicy: config.sandbox ? SANDBOX_CSP : undefined, crossOriginEmbedderPolicy: false }),
  );
  app.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT });
  app.use(requestBodyErrors);
  app.useGlobalPipes(new InputValidationPipe());
  return app;
}
