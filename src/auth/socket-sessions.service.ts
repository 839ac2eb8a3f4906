import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { SocketContext, SocketLifecycle } from '../graphql/socket-lifecycle';
import { SubscriptionFanout } from '../realtime/subscription-fanout';
import { AccessTokenService } from './access-token.service';

const REVOCATIONS = 'auth.revocations';
/** Lets an account event about the revocation reach the client before its socket closes. */
const CLOSE_GRACE_MS = 250;

interface Revocation {
  userId: string;
  /** Only that session; absent (and no `sessionIds`) means every login of the user. */
  sessionId?: string;
  /** Only these sessions (the recent sessions of one login's refresh family); `sessionId` is among them. */
  sessionIds?: string[];
}

interface LiveSocket {
  socket: WebSocket;
  userId: string;
  sessionId: string;
  expiry: NodeJS.Timeout;
}

type AuthSocketContext = SocketContext & { extra: { liveSocket?: LiveSocket } };

/**
 * A subscription must not outlive the right to it. Each authenticated graphql-ws connection is
 * closed with 4401 when its access token expires, or when its session is revoked (log out,
 * log out everywhere, password change, suspension) on any instance; clients reconnect with a
 * fresh token. An invalid token is refused at connection_init with 4403.
 */
@Injectable()
export class SocketSessionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SocketSessionsService.name);
  private readonly byUser = new Map<string, Set<LiveSocket>>();
  private revocations?: AsyncIterableIterator<Revocation>;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly bus: SubscriptionFanout,
    lifecycle: SocketLifecycle,
  ) {
    lifecycle.register('authentication', {
      onConnect: (ctx) => this.onConnect(ctx),
      onClose: (ctx) => this.onClose(ctx),
    });
  }

  onApplicationBootstrap(): void {
    this.revocations = this.bus.subscribe<Revocation>(REVOCATIONS);
    void this.listen(this.revocations);
  }

  async onModuleDestroy(): Promise<void> {
    await this.revocations?.return?.();
    for (const sockets of this.byUser.values()) for (const s of sockets) clearTimeout(s.expiry);
  }

  /**
   * The account an open graphql-ws socket authenticated as, or null for an anonymous one. For the
   * socket hooks of other features (presence), which register after authentication's.
   */
  userOf(ctx: SocketContext): string | null {
    return (ctx as AuthSocketContext).extra.liveSocket?.userId ?? null;
  }

  /** graphql-ws onConnect: true accepts, false closes with 4403 Forbidden. */
  onConnect(ctx: AuthSocketContext): boolean {
    const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
    if (raw === undefined || raw === null || raw === '') return true; // anonymous: public subscriptions only
    const token = typeof raw === 'string' ? raw.replace(/^Bearer\s+/i, '') : '';
    const claims = this.tokens.verify(token);
    if (!claims) return false;
    const live: LiveSocket = {
      socket: ctx.extra.socket,
      userId: claims.sub,
      sessionId: claims.sid,
      expiry: setTimeout(
        () => ctx.extra.socket.close(4401, 'Access token expired'),
        // `exp` is in system-clock time (see AccessTokenService.issue).
        // eslint-disable-next-line no-restricted-syntax
        Math.max(0, claims.exp * 1000 - Date.now()),
      ),
    };
    live.expiry.unref();
    ctx.extra.liveSocket = live;
    let sockets = this.byUser.get(live.userId);
    if (!sockets) this.byUser.set(live.userId, (sockets = new Set()));
    sockets.add(live);
    return true;
  }

  onClose(ctx: AuthSocketContext): void {
    const live = ctx.extra.liveSocket;
    if (!live) return;
    clearTimeout(live.expiry);
    const sockets = this.byUser.get(live.userId);
    sockets?.delete(live);
    if (sockets?.size === 0) this.byUser.delete(live.userId);
  }

  /**
   * Closes the sockets of that user (or only those of the given sessions) here at once, and tells
   * every other instance to do the same. The revocation itself is already stored (every request
   * and new subscription re-checks it); if Redis cannot carry the message, sockets on other
   * instances close when their access token expires (logged and counted, see SubscriptionFanout.notify).
   */
  async revoke(userId: string, sessionIds?: string[]): Promise<void> {
    if (sessionIds && sessionIds.length === 0) return;
    const revocation: Revocation = { userId, sessionId: sessionIds?.[0], sessionIds };
    this.closeRevoked(revocation);
    await this.bus.notify<Revocation>(REVOCATIONS, revocation);
  }

  private closeRevoked({ userId, sessionId, sessionIds }: Revocation): void {
    const only = sessionIds ?? (sessionId ? [sessionId] : undefined);
    for (const live of this.byUser.get(userId) ?? []) {
      if (only && !only.includes(live.sessionId)) continue;
      setTimeout(() => live.socket.close(4401, 'Session revoked'), CLOSE_GRACE_MS).unref();
    }
  }

  private async listen(revocations: AsyncIterableIterator<Revocation>): Promise<void> {
    try {
      for await (const revocation of revocations) this.closeRevoked(revocation);
    } catch (err) {
      this.logger.error(`revocation listener stopped: ${(err as Error).message}`);
    }
  }
}
