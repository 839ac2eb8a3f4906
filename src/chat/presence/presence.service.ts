import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ulid } from 'ulid';
import { Clock } from '@app/common';
import { SocketSessionsService } from '../../auth/socket-sessions.service';
import { AppConfig } from '../../config/app-config';
import type { SocketContext } from '../../graphql/socket-lifecycle';
import { SocketLifecycle } from '../../graphql/socket-lifecycle';
import { JobScheduler } from '../../jobs/job-scheduler.service';
import { ChatLive } from '../chat-live.service';
import { ConversationsService } from '../conversations.service';
import { PresenceStore } from './presence.store';
import { PresenceOp, PresenceState, PresenceTransition } from './presence.types';

/** Users looked at per sweep batch; a sweep takes a few batches at most. */
const SWEEP_BATCH = 200;
const SWEEP_BATCHES = 5;

type PresenceSocketContext = SocketContext & {
  extra: { presence?: { userId: string; socketKey: string; connected: Promise<void> } };
};

/**
 * Online presence. A user is ONLINE while they have at least one authenticated socket on any
 * instance (AWAY after PRESENCE_AWAY_SECONDS without activity), and OFFLINE PRESENCE_GRACE_SECONDS
 * after their last socket closed (so a page reload does not flap). Each socket is a lease in the
 * store that its instance renews every PRESENCE_HEARTBEAT_SECONDS: when an instance dies, its
 * users go offline once the leases lapse (PRESENCE_TTL_SECONDS). Every instance sweeps for changes
 * that fell due. Changes go to the people who share a conversation with the user (nobody else).
 * Best effort: a store outage never refuses or closes a socket.
 */
@Injectable()
export class PresenceService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  private readonly instance = ulid();
  private nextSocket = 0;
  /** This instance's sockets by user, renewed by the heartbeat. */
  private readonly local = new Map<string, Set<string>>();
  /** When this instance last told the store a user was active (activity is throttled per instance). */
  private readonly touched = new Map<string, number>();
  private readonly touchEveryMs: number;

  constructor(
    private readonly store: PresenceStore,
    private readonly sessions: SocketSessionsService,
    private readonly conversations: ConversationsService,
    private readonly live: ChatLive,
    private readonly clock: Clock,
    config: AppConfig,
    lifecycle: SocketLifecycle,
    scheduler: JobScheduler,
  ) {
    this.touchEveryMs = Math.min(10_000, (config.PRESENCE_AWAY_SECONDS * 1000) / 4);
    // Registered after authentication's hooks (this service depends on it), so the user is known.
    lifecycle.register('presence', {
      onConnect: (ctx) => this.onConnect(ctx),
      onClose: (ctx) => this.onClose(ctx),
    });
    scheduler.registerLocal({
      name: 'presence.heartbeat',
      everyMs: config.PRESENCE_HEARTBEAT_SECONDS * 1000,
      run: () => this.heartbeat(),
    });
    scheduler.registerLocal({
      name: 'presence.sweep',
      everyMs: config.PRESENCE_SWEEP_SECONDS * 1000,
      run: () => this.sweep(),
    });
  }

  /** Not awaited by the connection: presence never delays (or, when the store is away, refuses) a socket. */
  onConnect(ctx: PresenceSocketContext): void {
    const userId = this.sessions.userOf(ctx);
    if (!userId) return;
    const socketKey = `${this.instance}:${++this.nextSocket}`;
    let sockets = this.local.get(userId);
    if (!sockets) this.local.set(userId, (sockets = new Set()));
    sockets.add(socketKey);
    this.touched.set(userId, this.clock.now().getTime());
    ctx.extra.presence = { userId, socketKey, connected: this.apply(userId, 'connect', [socketKey]) };
  }

  async onClose(ctx: PresenceSocketContext): Promise<void> {
    const socket = ctx.extra.presence;
    if (!socket) return;
    ctx.extra.presence = undefined;
    const sockets = this.local.get(socket.userId);
    if (!sockets?.delete(socket.socketKey)) return; // already let go at shutdown
    if (sockets.size === 0) this.local.delete(socket.userId);
    await socket.connected; // a quick close must not overtake its own connect
    await this.apply(socket.userId, 'disconnect', [socket.socketKey]);
  }

  /**
   * The user did something (sent a message, typed, marked read, or told us with reportActivity):
   * ONLINE again if they were AWAY. Throttled per instance; never fails the caller.
   */
  touch(userId: string): void {
    const now = this.clock.now().getTime();
    if (now - (this.touched.get(userId) ?? 0) < this.touchEveryMs) return;
    this.touched.set(userId, now);
    if (this.touched.size > 50_000) this.forgetOldTouches(now);
    void this.apply(userId, 'active', []);
  }

  /** Activity the client reports, answered with the user's presence after it. */
  async reportActivity(userId: string): Promise<PresenceState> {
    this.touched.set(userId, this.clock.now().getTime());
    const change = await this.store.apply(userId, 'active', [], this.clock.now());
    await this.announce(userId, change);
    return change.current;
  }

  /** The presence of a user now (for other features, e.g. whether to e-mail about a message). */
  async statusOf(userId: string): Promise<PresenceState> {
    const [state] = await this.store.read([userId]);
    return state;
  }

  read(userIds: readonly string[]): Promise<PresenceState[]> {
    return this.store.read(userIds);
  }

  /** Renews the leases of this instance's sockets. */
  async heartbeat(): Promise<void> {
    await Promise.all([...this.local].map(([userId, sockets]) => this.apply(userId, 'heartbeat', [...sockets])));
  }

  /** Applies the changes that fell due (grace periods over, leases lapsed, away times reached). */
  async sweep(): Promise<number> {
    let looked = 0;
    for (let batch = 0; batch < SWEEP_BATCHES; batch++) {
      const due = await this.store.due(this.clock.now(), SWEEP_BATCH);
      await Promise.all(due.map((userId) => this.apply(userId, 'evaluate', [])));
      looked += due.length;
      if (due.length < SWEEP_BATCH) break;
    }
    return looked;
  }

  /** Lets go of this instance's sockets before the store clients close: their users start the grace period. */
  async beforeApplicationShutdown(): Promise<void> {
    const sockets = [...this.local];
    this.local.clear();
    await Promise.all(sockets.map(([userId, keys]) => this.apply(userId, 'disconnect', [...keys])));
  }

  private async apply(userId: string, op: PresenceOp, socketKeys: string[]): Promise<void> {
    try {
      await this.announce(userId, await this.store.apply(userId, op, socketKeys, this.clock.now()));
    } catch (err) {
      this.logger.warn(`presence ${op} of ${userId} not applied: ${(err as Error).message}`);
    }
  }

  /** Tells the user's partners about a change of status (the store reports each change once). */
  private async announce(userId: string, change: PresenceTransition): Promise<void> {
    if (change.previous === change.current.status) return;
    const partners = await this.conversations.partnersOf(userId);
    if (partners.length === 0) return;
    await this.live.presence(partners, { userId, ...change.current });
  }

  private forgetOldTouches(now: number): void {
    for (const [userId, at] of this.touched) if (now - at >= this.touchEveryMs) this.touched.delete(userId);
  }
}
