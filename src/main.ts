import './module-aliases';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ConfigValidationError, loadConfig } from './config/load-config';
import { demoLoginLines } from './seed/demo-accounts';

async function main(): Promise<void> {
  // Validate before Nest boots so a bad setting prints one readable list, not a stack trace.
  try {
    loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(78);
    }
    throw err;
  }

  const app = await createApp();
  const config = app.get(AppConfig);
  shutDownOnSignal(app, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);

  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://localhost:${port}/graphql`;
  const lines = [`Take Sessions GraphQL API ready at ${url}`];
  if (config.SEED_DEMO_DATA) lines.push(...demoLoginLines());
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the store
 * clients (Nest's shutdown hooks), then exit 0. A stuck connection cannot hold the exit forever.
 */
function shutDownOnSignal(app: INestApplication, timeoutMs: number): void {
  // Ctrl-C under `npm start` delivers SIGINT from the terminal and SIGTERM from the launcher: shut down once.
  let shuttingDown = false;
  const shutDown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stderr.write(`${signal} received; shutting down\n`);
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${timeoutMs} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutDown);
  process.on('SIGINT', shutDown);
}

main().catch((err) => {
  process.stderr.write(`Server failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
