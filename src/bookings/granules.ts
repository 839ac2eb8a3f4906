/**
 * Slots are locked in fixed 15-minute granules: one lock item per granule of a lesson plus its
 * trailing buffer, written with attribute_not_exists in the lesson's transaction. Two lessons of a
 * teacher therefore never overlap, and each keeps `buffer` minutes free after it.
 */
export const GRANULE_MINUTES = 15;
const GRANULE_MS = GRANULE_MINUTES * 60_000;

export function isOnGrid(instant: Date): boolean {
  return instant.getTime() % GRANULE_MS === 0;
}

/** Granule starts covering [start, end + buffer), the buffer rounded up to whole granules. */
export function granulesFor(start: Date, end: Date, bufferMinutes: number): string[] {
  const from = Math.floor(start.getTime() / GRANULE_MS) * GRANULE_MS;
  const until = end.getTime() + Math.ceil(bufferMinutes / GRANULE_MINUTES) * GRANULE_MS;
  const out: string[] = [];
  for (let t = from; t < until; t += GRANULE_MS) out.push(new Date(t).toISOString());
  return out;
}
