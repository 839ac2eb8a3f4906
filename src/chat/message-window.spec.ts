import { backwardWindow, forwardWindow, latestWindow } from './message-window';

const NOW = 1_000_000;
const SETTLE = 10_000;
const opts = { now: NOW, settleMs: SETTLE };
const old = NOW - SETTLE - 1; // written long enough ago: a hole below it is final
const fresh = NOW - 1; // written just now: a hole below it may still fill

/** Rows at these positions, each written at `at` (or per position). */
const rows = (seqs: number[], at: number | ((seq: number) => number) = old) =>
  seqs.map((seq) => ({ seq, createdAt: new Date(typeof at === 'number' ? at : at(seq)) }));
const seqsOf = (r: Array<{ seq: number }>) => r.map((x) => x.seq);

describe('forwardWindow (newer than a cursor)', () => {
  it('returns contiguous positions up to the limit and says whether more follow', () => {
    expect(seqsOf(forwardWindow(rows([4, 5, 6]), 3, 5, opts).rows)).toEqual([4, 5, 6]);
    expect(forwardWindow(rows([4, 5, 6]), 3, 5, opts).more).toBe(false);
    const limited = forwardWindow(rows([4, 5, 6]), 3, 2, opts);
    expect(seqsOf(limited.rows)).toEqual([4, 5]);
    expect(limited.more).toBe(true);
  });

  it('stops before a hole that may still fill, so the cursor never passes an unwritten message', () => {
    const w = forwardWindow(rows([4, 6, 7], fresh), 3, 10, opts);
    expect(seqsOf(w.rows)).toEqual([4]);
    expect(w.more).toBe(true);
    const atStart = forwardWindow(rows([5, 6], fresh), 3, 10, opts);
    expect(atStart.rows).toEqual([]);
    expect(atStart.more).toBe(true);
  });

  it('crosses a hole that is final (the message above it was written long ago)', () => {
    const w = forwardWindow(rows([4, 6, 7], (s) => (s === 6 ? old : fresh)), 3, 10, opts);
    expect(seqsOf(w.rows)).toEqual([4, 6, 7]);
    expect(w.more).toBe(false);
  });
});

describe('backwardWindow (older than a cursor)', () => {
  it('returns the positions below the cursor, ascending', () => {
    const w = backwardWindow(rows([9, 8, 7, 6]), 10, old, 3, opts);
    expect(seqsOf(w.rows)).toEqual([7, 8, 9]);
    expect(w.more).toBe(true);
  });

  it('stops at a hole below a freshly written message', () => {
    const w = backwardWindow(rows([9, 7, 6], (s) => (s === 9 ? fresh : old)), 10, fresh, 10, opts);
    expect(seqsOf(w.rows)).toEqual([9]);
    expect(w.more).toBe(true);
    // A hole right below the cursor: judged by when the cursor's message was written.
    expect(backwardWindow(rows([8, 7]), 10, fresh, 10, opts)).toEqual({ rows: [], more: true });
    expect(seqsOf(backwardWindow(rows([8, 7]), 10, old, 10, opts).rows)).toEqual([7, 8]);
  });

  it('ends at position 1, or says older ones are still being written', () => {
    expect(backwardWindow(rows([2, 1]), 3, old, 10, opts)).toMatchObject({ more: false });
    expect(backwardWindow(rows([3, 2], fresh), 4, fresh, 10, opts)).toMatchObject({ more: true });
    expect(backwardWindow(rows([3, 2]), 4, old, 10, opts)).toMatchObject({ more: false });
  });
});

describe('latestWindow (the newest messages)', () => {
  it('returns the newest positions ascending and whether older ones exist', () => {
    const w = latestWindow(rows([10, 9, 8, 7]), 3, opts);
    expect(seqsOf(w.rows)).toEqual([8, 9, 10]);
    expect(w).toMatchObject({ newer: false, older: true });
    expect(latestWindow(rows([3, 2, 1]), 5, opts)).toMatchObject({ newer: false, older: false });
  });

  it('leaves out everything above a hole that may still fill (and says newer ones follow)', () => {
    const w = latestWindow(rows([10, 9, 7, 6, 5], (s) => (s >= 9 ? fresh : old)), 10, opts);
    expect(seqsOf(w.rows)).toEqual([5, 6, 7]);
    // Positions 1-4 were never written and the message above them is old: nothing older to wait for.
    expect(w).toMatchObject({ newer: true, older: false });
    expect(latestWindow(rows([6, 5, 4], fresh), 10, opts)).toMatchObject({ older: true });
  });

  it('keeps messages above a final hole', () => {
    const w = latestWindow(rows([10, 9, 7, 6]), 10, opts);
    expect(seqsOf(w.rows)).toEqual([6, 7, 9, 10]);
    expect(w.newer).toBe(false);
  });

  it('is empty for an empty conversation', () => {
    expect(latestWindow([], 20, opts)).toEqual({ rows: [], newer: false, older: false });
  });
});
