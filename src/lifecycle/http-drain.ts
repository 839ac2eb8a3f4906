import { Server as NetServer, type Socket } from 'node:net';
import type { Server, ServerResponse } from 'node:http';

/**
 * Knows the HTTP connections and requests in flight so that shutdown can wait for them.
 *
 * Draining stops accepting connections but keeps the open ones: a request a client sends on a
 * keep-alive connection meanwhile is still served (closing the connection idle at once would
 * reset a request the client is writing at that moment). Every response sent while draining says
 * `Connection: close` and closes its connection, so clients move to new connections, which are
 * refused. Connections nobody uses close after `keepAliveTimeout` or when the drain ends.
 */
export class HttpDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private readonly connections = new Set<Socket>();
  private draining = false;
  private onChange?: () => void;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.forget(socket));
    });
    // A websocket leaves HTTP: graphql-ws closes it when the application closes.
    server.on('upgrade', (_req, socket: Socket) => this.forget(socket));
    server.on('request', (_req, res: ServerResponse) => {
      this.inFlight.add(res);
      if (this.draining) closeAfter(res);
      res.once('close', () => {
        this.inFlight.delete(res);
        this.onChange?.();
      });
    });
  }

  get active(): number {
    return this.inFlight.size;
  }

  /**
   * Stops accepting connections and waits, at most `timeoutMs`, until every request in flight
   * is answered and every HTTP connection closed; then closes the idle ones left. Resolves with
   * the number of requests still unanswered (0 unless the time ran out).
   */
  async drain(timeoutMs: number): Promise<number> {
    // Connections the kernel has queued but Node not yet accepted would be reset by closing the
    // listener; one turn of the event loop accepts them first (they then count as received).
    await new Promise((resolve) => setImmediate(resolve));
    // net.Server's close, not http.Server's: that one would also drop idle keep-alive connections now.
    NetServer.prototype.close.call(this.server);
    // Only now tell clients to reconnect: they find the port closed (refused, never half-sent).
    this.draining = true;
    for (const res of this.inFlight) closeAfter(res);
    const done = () => this.inFlight.size === 0 && this.connections.size === 0;
    if (!done()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.onChange = () => {
          if (!done()) return;
          clearTimeout(timer);
          resolve();
        };
      });
      this.onChange = undefined;
    }
    this.server.closeIdleConnections();
    return this.inFlight.size;
  }

  /** Cuts every remaining HTTP connection (after the drain ran out of time). */
  abort(): void {
    this.server.closeAllConnections();
  }

  private forget(socket: Socket): void {
    this.connections.delete(socket);
    this.onChange?.();
  }
}

/** The response, when it is sent, tells the client not to reuse the connection, and closes it. */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
