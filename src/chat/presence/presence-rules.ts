import { PresenceOp, PresenceStatus, PresenceTimings } from './presence.types';

/** A user's stored presence (times in ms since the epoch). */
export interface StoredPresence {
  status: PresenceStatus;
  activeAt: number;
  seenAt: number | null;
  /** When the user's last socket went (during the grace period), else null. */
  emptySince: number | null;
}

/** A user's presence record: socket leases (socket key → lease end) and the stored state. */
export interface PresenceRecord {
  sockets: Map<string, number>;
  state: StoredPresence;
}

export const NEVER_SEEN: StoredPresence = {
  status: PresenceStatus.OFFLINE,
  activeAt: 0,
  seenAt: null,
  emptySince: null,
};

/**
 * The presence state machine, applied in place to one user's record. It is the specification of
 * the Redis script (presence-script.ts), which applies the same steps atomically; the in-process
 * store runs this function. Returns the previous status and when the record next needs a look
 * (a lease ending, the away time, the end of the grace period), or null.
 */
export function applyPresence(
  record: PresenceRecord,
  op: PresenceOp,
  socketKeys: readonly string[],
  now: number,
  t: PresenceTimings,
): { previous: PresenceStatus; nextAt: number | null } {
  const state = record.state;
  const previous = state.status;
  if (op === 'connect' || op === 'heartbeat') for (const key of socketKeys) record.sockets.set(key, now + t.ttlMs);
  if (op === 'disconnect') for (const key of socketKeys) record.sockets.delete(key);

  // Leases that lapsed: their instance stopped renewing them (it died or lost Redis).
  let lastRenewal: number | null = null;
  for (const [key, leaseEnd] of record.sockets) {
    if (leaseEnd > now) continue;
    lastRenewal = Math.max(lastRenewal ?? 0, leaseEnd - t.ttlMs);
    record.sockets.delete(key);
  }
  const count = record.sockets.size;
  if (op === 'connect' || (op === 'active' && count > 0)) state.activeAt = now;

  let nextAt: number | null = null;
  if (count > 0) {
    state.emptySince = null;
    state.seenAt = now;
    if (now - state.activeAt >= t.awayMs) state.status = PresenceStatus.AWAY;
    else {
      state.status = PresenceStatus.ONLINE;
      nextAt = state.activeAt + t.awayMs;
    }
    const firstLeaseEnd = Math.min(...record.sockets.values());
    if (nextAt === null || firstLeaseEnd < nextAt) nextAt = firstLeaseEnd;
  } else if (previous !== PresenceStatus.OFFLINE) {
    state.emptySince ??= op !== 'disconnect' && lastRenewal !== null ? lastRenewal : now;
    if (now - state.emptySince >= t.graceMs) {
      state.status = PresenceStatus.OFFLINE;
      state.seenAt = state.emptySince;
      state.emptySince = null;
    } else nextAt = state.emptySince + t.graceMs;
  }
  return { previous, nextAt };
}
