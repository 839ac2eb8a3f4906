/** Integer arithmetic on minor units: every split adds up exactly to what it splits. */

/** The platform's commission on an amount (basis points, rounded down: the teacher keeps the cent). */
export function platformFee(amountMinor: number, feeBps: number): number {
  return Math.floor((amountMinor * feeBps) / 10_000);
}

/** `percent` of an amount, rounded half up. */
export function percentOf(amountMinor: number, percent: number): number {
  return Math.floor((amountMinor * percent + 50) / 100);
}

/**
 * The money value of the next `count` credits of a lot once `settled` have left it: the price is
 * spread so that all `credits` together are worth exactly `priceMinor` (earlier credits round down).
 */
export function creditValue(priceMinor: number, credits: number, settled: number, count: number): number {
  const upTo = (n: number) => Math.floor((priceMinor * n) / credits);
  return upTo(settled + count) - upTo(settled);
}
