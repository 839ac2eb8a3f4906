import { Account, Leg, NormalSide, Posting } from './ledger.types';

/** A posting whose debits do not equal its credits in some unit: a bug, never a user's error. */
export class UnbalancedPostingError extends Error {}

export const debit = (account: Account, amount: number): Leg => ({ account, side: 'DEBIT', amount });
export const credit = (account: Account, amount: number): Leg => ({ account, side: 'CREDIT', amount });

/** Drops zero legs and checks that every amount is a positive integer and every unit balances. */
export function balanced(posting: Posting): Posting {
  const legs = posting.legs.filter((l) => l.amount !== 0);
  const sums = new Map<string, number>();
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount < 0)
      throw new UnbalancedPostingError(`posting ${posting.kind}: amount ${leg.amount} is not a non-negative integer`);
    const signed = leg.side === 'DEBIT' ? leg.amount : -leg.amount;
    sums.set(leg.account.unit, (sums.get(leg.account.unit) ?? 0) + signed);
  }
  for (const [unit, sum] of sums)
    if (sum !== 0) throw new UnbalancedPostingError(`posting ${posting.kind} is off by ${sum} ${unit}`);
  return { ...posting, legs };
}

/**
 * The change of each account's balance, counted on the account's normal side (legs on one account
 * are summed: a transaction may touch an item only once).
 */
export function balanceChanges(posting: Posting): Array<{ account: Account; delta: number }> {
  const byAccount = new Map<string, { account: Account; delta: number }>();
  for (const leg of posting.legs) {
    const entry = byAccount.get(leg.account.id) ?? { account: leg.account, delta: 0 };
    entry.delta += sameSide(leg.side, leg.account.normal) ? leg.amount : -leg.amount;
    byAccount.set(leg.account.id, entry);
  }
  return [...byAccount.values()].filter((c) => c.delta !== 0);
}

const sameSide = (a: NormalSide, b: NormalSide) => a === b;
