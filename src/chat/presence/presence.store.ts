import type { PresenceOp, PresenceState, PresenceTransition } from './presence.types';

/**
 * Where presence lives: Redis when configured (shared by every instance), otherwise this
 * process. Each `apply` is atomic per user, so when several instances evaluate the same user at
 * once exactly one of them sees a given change.
 */
export abstract class PresenceStore {
  abstract apply(userId: string, op: PresenceOp, socketKeys: readonly string[], now: Date): Promise<PresenceTransition>;
  abstract read(userIds: readonly string[]): Promise<PresenceState[]>;
  /** Users whose presence fell due for a look (a lease lapsed, the grace period or away time ended). */
  abstract due(now: Date, limit: number): Promise<string[]>;
}
