import './module-aliases';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createApp } from './app.factory';
import type { AppModuleOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { ConfigValidationError, loadConfig } from './config/load-config';
import { HttpDrain } from './lifecycle/http-drain';
import { demoLoginLines } from './seed/demo-accounts';

/** After the requests drained, closing sockets and store clients gets this long before a forced exit. */
const CLOSE_BUDGET_MS = 5000;

async function main(): Promise<void> {
  // Validate before Nest boots so a bad setting prints one readable list, not a stack trace.
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(78);
    }
    throw err;
  }

  const app = await createApp({ imports: testProbes(config) });
  const drain = new HttpDrain(app.getHttpServer());
  shutDownOnSignal(app, drain, config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);

  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://localhost:${port}/graphql`;
  const lines = [`Take Sessions GraphQL API ready at ${url}`];
  if (config.MAIL_CATCHER_DIR && !config.production)
    lines.push(`Every mail the server sends is caught locally: http://localhost:${port}/dev/mail`);
  if (config.SEED_DEMO_DATA) lines.push(...demoLoginLines());
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/**
 * Test-only operations for tests of this entry point (TEST_PROBES=true, which the configuration
 * refuses in production). Required by a computed name so the build never compiles them in.
 */
function testProbes(config: AppConfig): AppModuleOptions['imports'] {
  if (!config.TEST_PROBES || config.production) return [];
  const probes = ['@app/testing', 'probe.module'].join('/');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return [(require(probes) as { ProbeModule: NonNullable<AppModuleOptions['imports']>[number] }).ProbeModule];
}

/**
 * SIGTERM/SIGINT: stop accepting connections; let every request already received finish (up to
 * `timeoutMs`); then close websockets, idle connections and the store clients (Nest's shutdown
 * hooks) and exit 0. Exit 1 when requests had to be cut or closing got stuck.
 */
function shutDownOnSignal(app: INestApplication, drain: HttpDrain, timeoutMs: number): void {
  // Ctrl-C under `npm start` delivers SIGINT from the terminal and SIGTERM from the launcher: shut down once.
  let shuttingDown = false;
  const shutDown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stderr.write(`${signal} received; finishing ${drain.active} request(s) in flight, then shutting down\n`);
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${timeoutMs + CLOSE_BUDGET_MS} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs + CLOSE_BUDGET_MS).unref();
    try {
      const unfinished = await drain.drain(timeoutMs);
      if (unfinished > 0) {
        process.stderr.write(`${unfinished} request(s) still running after ${timeoutMs} ms; cutting them\n`);
        drain.abort();
      }
      await app.close();
      process.exit(unfinished > 0 ? 1 : 0);
    } catch (err) {
      process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void shutDown(signal));
  process.on('SIGINT', (signal) => void shutDown(signal));
}

main().catch((err) => {
  process.stderr.write(`Server failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
