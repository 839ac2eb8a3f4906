/**
 * Which stored messages a page may show without ever letting a client skip one.
 *
 * Positions are allocated by an atomic counter and the message is written right after, so for a
 * moment a later position can be stored while an earlier one is still being written. A client
 * that took a cursor past such a hole would never see the earlier message. So a page never
 * reaches across a hole that may still fill: it ends before it (and says more may follow). A hole
 * is final once the message above it was written `settleMs` ago, longer than any write of the
 * earlier position can take (only a send that failed or crashed between allocating a position
 * and placing its message leaves a hole for good).
 */

export interface Positioned {
  seq: number;
  createdAt: Date;
}

export interface WindowOptions {
  now: number;
  settleMs: number;
}

/** A hole below `upper` (whose write time is `upperWrittenAt`) is final. */
const settled = (upperWrittenAt: number, { now, settleMs }: WindowOptions) => upperWrittenAt <= now - settleMs;

/**
 * After the cursor at `afterSeq`: `rows` ascending from the store (up to limit + 1). Returns the
 * rows to show (at most `limit`) and whether more may follow.
 */
export function forwardWindow<T extends Positioned>(
  rows: T[],
  afterSeq: number,
  limit: number,
  opts: WindowOptions,
): { rows: T[]; more: boolean } {
  const shown: T[] = [];
  let expected = afterSeq + 1;
  for (const row of rows) {
    if (shown.length === limit) return { rows: shown, more: true };
    if (row.seq !== expected && !settled(row.createdAt.getTime(), opts)) return { rows: shown, more: true };
    shown.push(row);
    expected = row.seq + 1;
  }
  return { rows: shown, more: false };
}

/**
 * Before the cursor at `beforeSeq` (written at `beforeWrittenAt`): `rows` descending from the
 * store (up to limit + 1). Returns the rows to show, ascending, and whether older ones exist.
 */
export function backwardWindow<T extends Positioned>(
  rows: T[],
  beforeSeq: number,
  beforeWrittenAt: number,
  limit: number,
  opts: WindowOptions,
): { rows: T[]; more: boolean } {
  const shown: T[] = [];
  let expected = beforeSeq - 1;
  let upperWrittenAt = beforeWrittenAt;
  for (const row of rows) {
    if (shown.length === limit) return { rows: shown.reverse(), more: true };
    if (row.seq !== expected && !settled(upperWrittenAt, opts)) return { rows: shown.reverse(), more: true };
    shown.push(row);
    expected = row.seq - 1;
    upperWrittenAt = row.createdAt.getTime();
  }
  // Below the oldest stored row: positions 1 .. expected are still being written, or holes for good.
  const more = expected >= 1 && !settled(upperWrittenAt, opts);
  return { rows: shown.reverse(), more };
}

/**
 * The newest messages: `rows` descending from the top (up to limit + 1). Everything above the
 * lowest hole that may still fill is left out (the client pages forward from the last row shown).
 * Returns the rows ascending, whether newer ones were left out and whether older ones exist.
 */
export function latestWindow<T extends Positioned>(
  rows: T[],
  limit: number,
  opts: WindowOptions,
): { rows: T[]; newer: boolean; older: boolean } {
  const page = rows.slice(0, limit);
  let older = rows.length > limit;
  let shown: T[] = [];
  let newer = false;
  for (const row of page) {
    const above = shown[shown.length - 1];
    if (above && row.seq !== above.seq - 1 && !settled(above.createdAt.getTime(), opts)) {
      shown = [];
      newer = true;
    }
    shown.push(row);
  }
  // A hole below the oldest row shown is the next older page's business, unless it is the bottom.
  const bottom = shown[shown.length - 1];
  if (!older && bottom && bottom.seq > 1 && !settled(bottom.createdAt.getTime(), opts)) older = true;
  return { rows: shown.reverse(), newer, older };
}
