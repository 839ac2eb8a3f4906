import { PresenceStore } from './presence.store';
import { applyPresence, NEVER_SEEN, PresenceRecord } from './presence-rules';
import { PresenceOp, PresenceState, PresenceTimings, PresenceTransition } from './presence.types';

/** Presence in this process, for a single instance without Redis (local start). */
export class MemoryPresenceRepository extends PresenceStore {
  private readonly records = new Map<string, PresenceRecord>();
  private readonly dueAt = new Map<string, number>();

  constructor(private readonly timings: PresenceTimings) {
    super();
  }

  apply(userId: string, op: PresenceOp, socketKeys: readonly string[], now: Date): Promise<PresenceTransition> {
    let record = this.records.get(userId);
    if (!record) this.records.set(userId, (record = { sockets: new Map(), state: { ...NEVER_SEEN } }));
    const { previous, nextAt } = applyPresence(record, op, socketKeys, now.getTime(), this.timings);
    if (nextAt === null) this.dueAt.delete(userId);
    else this.dueAt.set(userId, nextAt);
    return Promise.resolve({ previous, current: present(record) });
  }

  read(userIds: readonly string[]): Promise<PresenceState[]> {
    return Promise.resolve(
      userIds.map((id) => {
        const record = this.records.get(id);
        return record ? present(record) : { status: NEVER_SEEN.status, lastSeenAt: null };
      }),
    );
  }

  due(now: Date, limit: number): Promise<string[]> {
    const due = [...this.dueAt].filter(([, at]) => at <= now.getTime()).sort((a, b) => a[1] - b[1]);
    return Promise.resolve(due.slice(0, limit).map(([id]) => id));
  }
}

function present(record: PresenceRecord): PresenceState {
  return {
    status: record.state.status,
    lastSeenAt: record.state.seenAt === null ? null : new Date(record.state.seenAt),
  };
}
