import * as http from 'node:http';
import { ulid } from 'ulid';
import WebSocket from 'ws';
import { exited, spawnServer, waitForOutput } from './server-process';

type Answer = { status: number; body: string };

/** One POST, by default on a connection of its own (no pooling), so each request is a separate client. */
function post(port: number, query: string, agent: http.Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

/**
 * A client reusing one keep-alive connection, request after request, until the server stops
 * answering; records each outcome (status or error code) in `outcomes`. Bounded by `max` requests.
 */
async function keepAliveClient(port: number, outcomes: Array<number | string>, max = 5000): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (outcomes.length < max) {
      const outcome = await post(port, '{ serverTime }', agent).then(
        (a) => a.status,
        (err: { code?: string }) => err.code ?? 'error',
      );
      outcomes.push(outcome);
      if (outcome !== 200) break;
    }
  } finally {
    agent.destroy();
  }
}

/** Waits (at most `ms`) until `ready()` holds. */
async function until(ready: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !(await ready())) await new Promise((r) => setTimeout(r, 25));
}

async function slowInFlight(port: number): Promise<number> {
  const res = await post(port, '{ probeSlowInFlight }');
  return (JSON.parse(res.body) as { data: { probeSlowInFlight: number } }).data.probeSlowInFlight;
}

/**
 * SIGTERM through the real entry point (src/main.ts) in a child process, with requests in flight:
 * every request already received is answered, new connections are refused, open websockets are
 * closed as "going away", and the process exits 0.
 */
describe('graceful shutdown on SIGTERM', () => {
  const IN_FLIGHT = 40;
  const SLOW_MS = 8000;
  const KEEP_ALIVE_CLIENTS = 10;

  it(`answers all ${IN_FLIGHT} requests in flight with 200, cuts no keep-alive request, refuses new connections, closes websockets, exits 0`, async () => {
    const id = ulid().toLowerCase();
    const server = spawnServer({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      TEST_PROBES: 'true',
      SHUTDOWN_TIMEOUT_MS: '20000',
      BOOTSTRAP_RESOURCES: 'true',
      DYNAMODB_TABLE: `s-${id}`,
      S3_BUCKET: `s-${id}`,
      MONGODB_URI: process.env.MONGODB_URI!.replace(/\/[^/]*$/, `/s-${id}`),
      DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT!,
      S3_ENDPOINT: process.env.S3_ENDPOINT!,
      REDIS_URL: process.env.REDIS_URL ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    try {
      const [, url] = await waitForOutput(server, /ready at (http:\/\/\S+)/);
      const port = Number(new URL(url).port);

      // A graphql-ws connection, acknowledged, open while the server shuts down.
      const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
      const socketClosed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
        socket.on('message', (m) => (JSON.parse(String(m)).type === 'connection_ack' ? resolve() : undefined));
        socket.on('error', reject);
      });

      const answers = Array.from({ length: IN_FLIGHT }, () => post(port, `{ probeSlow(ms: ${SLOW_MS}) }`));
      // SIGTERM only once the server holds every one of them (they end by themselves after SLOW_MS).
      await until(async () => (await slowInFlight(port)) === IN_FLIGHT, SLOW_MS - 2000);
      expect(await slowInFlight(port)).toBe(IN_FLIGHT);
      // Clients busy on keep-alive connections: none may see its request cut (ECONNRESET); once
      // told to close, their next connection is refused.
      const busy = Array.from({ length: KEEP_ALIVE_CLIENTS }, () => [] as Array<number | string>);
      const busyClients = busy.map((o) => keepAliveClient(port, o));
      await until(() => busy.every((o) => o.length > 0), 2000);

      server.kill('SIGTERM');
      await waitForOutput(server, /SIGTERM received/, 10000);
      // The listening socket is closed at once: a new connection is refused while the others finish.
      await expect(post(port, '{ serverTime }')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      const results = await Promise.allSettled(answers);
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as Error).message));
      expect(outcomes).toEqual(Array(IN_FLIGHT).fill(200));
      for (const r of results) {
        expect(JSON.parse((r as PromiseFulfilledResult<Answer>).value.body)).toEqual({ data: { probeSlow: SLOW_MS } });
      }
      await Promise.all(busyClients);
      for (const seen of busy) {
        expect(seen.at(-1)).toBe('ECONNREFUSED');
        expect(seen.slice(0, -1).every((o) => o === 200)).toBe(true);
      }
      expect(await socketClosed).toBe(1001);
      expect(await exited(server)).toBe(0);
      const [, held] = server.output().match(/finishing (\d+) request\(s\) in flight/)!;
      expect(Number(held)).toBeGreaterThanOrEqual(IN_FLIGHT);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  });
});
