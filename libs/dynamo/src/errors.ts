// Checks go by `name` rather than `instanceof` so that errors survive duplicated SDK copies
// in node_modules and errors re-thrown across package boundaries.

function errorName(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

export function isTransactionCanceled(err: unknown): boolean {
  return errorName(err) === 'TransactionCanceledException';
}

/**
 * One code per item of the cancelled transaction, in request order: 'None' for items that were
 * fine, else e.g. 'ConditionalCheckFailed', 'TransactionConflict'. Empty for any other error.
 */
export function cancellationReasons(err: unknown): string[] {
  if (!isTransactionCanceled(err)) return [];
  const reasons = (err as { CancellationReasons?: Array<{ Code?: string } | undefined> }).CancellationReasons;
  return Array.isArray(reasons) ? reasons.map((r) => r?.Code ?? 'None') : [];
}
