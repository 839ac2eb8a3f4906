import type { FromServer, ToServer } from './operations';

/**
 * The server side of the benchmark's IPC channel: reports readiness, answers `stats` with the
 * process's own CPU and memory accounting (so each server is measured alone, whatever else runs
 * on the machine), and stops on `stop`.
 */
export function serveBenchmarkChannel(opts: {
  port: number;
  storeCalls: () => Promise<Record<string, number>> | Record<string, number>;
  close: () => Promise<void>;
}): void {
  const send = (msg: FromServer) => process.send?.(msg);
  process.on('message', (msg: ToServer) => {
    if (msg.type === 'stats') {
      if (msg.collect) (globalThis as { gc?: () => void }).gc?.();
      const cpu = process.cpuUsage();
      const { rss: rssBytes, heapUsed: heapUsedBytes, heapTotal: heapTotalBytes } = process.memoryUsage();
      const maxRssBytes = process.resourceUsage().maxRSS * 1024;
      void Promise.resolve(opts.storeCalls()).then((storeCalls) =>
        send({
          type: 'stats',
          id: msg.id,
          stats: { cpuMicros: cpu.user + cpu.system, rssBytes, heapUsedBytes, heapTotalBytes, maxRssBytes, storeCalls },
        }),
      );
    } else if (msg.type === 'stop') {
      // process.exit (not a signal) so that --cpu-prof writes its profile.
      opts.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  send({ type: 'ready', port: opts.port });
}

export function reportStartupFailure(err: unknown): void {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}
