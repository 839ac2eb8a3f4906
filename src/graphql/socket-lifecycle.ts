import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';

/** graphql-ws connection context (the parts features use); `extra` carries per-socket state of each feature. */
export interface SocketContext {
  connectionParams?: Record<string, unknown>;
  extra: { socket: WebSocket } & Record<string, unknown>;
}

/** What a feature does when a graphql-ws socket opens or closes (authentication, presence, ...). */
export interface SocketHooks {
  /** false refuses the connection (graphql-ws closes it with 4403). */
  onConnect?(ctx: SocketContext): boolean | void | Promise<boolean | void>;
  onClose?(ctx: SocketContext): void | Promise<void>;
}

/**
 * Registry of socket hooks. Infrastructure knows no feature: features register their hooks at boot
 * and the GraphQL options call them in registration order (authentication registers first, because
 * its module is imported before any feature that needs a viewer).
 */
@Injectable()
export class SocketLifecycle {
  private readonly hooks: Array<{ name: string } & SocketHooks> = [];

  register(name: string, hooks: SocketHooks): void {
    if (this.hooks.some((h) => h.name === name)) throw new Error(`socket hooks ${name} are registered twice`);
    this.hooks.push({ name, ...hooks });
  }

  async onConnect(ctx: SocketContext): Promise<boolean> {
    for (const hook of this.hooks) {
      if ((await hook.onConnect?.(ctx)) === false) {
        // Those that accepted already may hold state for this socket: let them release it.
        await this.onClose(ctx);
        return false;
      }
    }
    return true;
  }

  async onClose(ctx: SocketContext): Promise<void> {
    for (const hook of [...this.hooks].reverse()) await hook.onClose?.(ctx);
  }
}
