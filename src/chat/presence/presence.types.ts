import { registerEnumType } from '@nestjs/graphql';

export enum PresenceStatus {
  /** At least one socket open, and active within PRESENCE_AWAY_SECONDS. */
  ONLINE = 'ONLINE',
  /** Sockets open, but no activity for PRESENCE_AWAY_SECONDS. */
  AWAY = 'AWAY',
  /** No socket for longer than the grace period (or the instance holding them stopped renewing them). */
  OFFLINE = 'OFFLINE',
}
registerEnumType(PresenceStatus, {
  name: 'PresenceStatus',
  description: 'Whether a user is connected and active.',
  valuesMap: {
    ONLINE: { description: 'Connected and active within the away time.' },
    AWAY: { description: 'Connected, but idle for the away time.' },
    OFFLINE: { description: 'Not connected (past the grace period after the last socket closed).' },
  },
});

/** What others see of a user's presence. */
export interface PresenceState {
  status: PresenceStatus;
  /** While connected: the latest heartbeat; once offline: when the user was last connected. Null if never. */
  lastSeenAt: Date | null;
}

/** A change of status, as a store reports it (at most one caller sees each change). */
export interface PresenceTransition {
  previous: PresenceStatus;
  current: PresenceState;
}

/** What a store applies to a user's presence, with the keys of the sockets concerned. */
export type PresenceOp = 'connect' | 'disconnect' | 'heartbeat' | 'active' | 'evaluate';

/** The timings of presence, in milliseconds. */
export interface PresenceTimings {
  /** A socket's lease: its instance renews it; when it lapses the socket no longer counts. */
  ttlMs: number;
  awayMs: number;
  graceMs: number;
}
