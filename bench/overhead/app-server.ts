/**
 * The production server as `node dist/src/main.js` builds it (createApp, compiled by tsc), in a
 * process of its own. Configuration comes in BENCH_APP_CONFIG (JSON) on top of the environment.
 */
import '../../src/module-aliases';
import 'reflect-metadata';
import { createApp } from '../../src/app.factory';
import { MetricsService } from '../../src/observability/metrics.service';
import { reportStartupFailure, serveBenchmarkChannel } from './child-channel';

async function main(): Promise<void> {
  const app = await createApp({ config: JSON.parse(process.env.BENCH_APP_CONFIG ?? '{}') });
  await app.listen(0, '127.0.0.1');
  // As the hand-written server: the client's idle keep-alive sockets must not be closed under it.
  app.getHttpServer().keepAliveTimeout = 60_000;
  const metrics = app.get(MetricsService);
  serveBenchmarkChannel({
    port: (app.getHttpServer().address() as { port: number }).port,
    storeCalls: async () =>
      Object.fromEntries(
        (await metrics.storeCalls.get()).values.map((v) => [`${v.labels.store}:${v.labels.operation}`, v.value]),
      ),
    close: () => app.close(),
  });
}

main().catch(reportStartupFailure);
