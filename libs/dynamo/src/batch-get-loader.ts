import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import DataLoader from 'dataloader';

export type ItemKey = { PK: string; SK: string };

export interface BatchGetLoaderOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Called once per DataLoader batch with its number of distinct keys (not per retry). */
  onBatch?: (size: number) => void;
  /** Further BatchGetItem calls for UnprocessedKeys before those keys fail. */
  maxRetries?: number;
  baseDelayMs?: number;
  consistentRead?: boolean;
}

/** BatchGetItem's hard limit per call. */
const MAX_KEYS_PER_CALL = 100;
const MAX_DELAY_MS = 2_000;

function cacheKey(key: ItemKey): string {
  // NUL cannot occur in our key strings, so distinct (PK, SK) pairs never collide.
  return `${key.PK}\u0000${key.SK}`;
}

/**
 * A per-request loader: one BatchGetItem per 100 distinct keys gathered in a tick, results in
 * key order, `null` for items that do not exist.
 */
export function createBatchGetLoader<T = Record<string, unknown>>(
  opts: BatchGetLoaderOptions,
): DataLoader<ItemKey, T | null, string> {
  const { client, tableName, onBatch, consistentRead = false } = opts;
  const maxRetries = opts.maxRetries ?? 8;
  const baseDelayMs = opts.baseDelayMs ?? 25;

  const loader: DataLoader<ItemKey, T | null, string> = new DataLoader(
    async (keys: readonly ItemKey[]) => {
      const distinct = new Map<string, ItemKey>();
      // Only PK/SK: callers may pass whole items, and BatchGetItem rejects extra attributes.
      for (const k of keys) distinct.set(cacheKey(k), { PK: k.PK, SK: k.SK });
      onBatch?.(distinct.size);

      const found = new Map<string, T>();
      let pending = [...distinct.values()];
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) {
          if (attempt > maxRetries) break;
          await sleep(backoff(attempt - 1, baseDelayMs));
        }
        const out = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistentRead } },
          }),
        );
        for (const item of out.Responses?.[tableName] ?? []) {
          found.set(cacheKey(item as ItemKey), item as T);
        }
        pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as ItemKey[];
      }

      const unprocessed = new Set(pending.map(cacheKey));
      const failure =
        unprocessed.size > 0
          ? new Error(
              `BatchGetItem on table "${tableName}": ${unprocessed.size} key(s) still unprocessed ` +
                `after ${maxRetries} retries`,
            )
          : undefined;
      return keys.map((k) => {
        const id = cacheKey(k);
        if (failure && unprocessed.has(id)) {
          // Throttling is transient: a later load() in the same request should try again.
          loader.clear(k);
          return failure;
        }
        return found.get(id) ?? null;
      });
    },
    { maxBatchSize: MAX_KEYS_PER_CALL, cacheKeyFn: cacheKey },
  );
  return loader;
}

/** Exponential backoff with full jitter, so throttled callers spread out instead of retrying in step. */
function backoff(retry: number, baseDelayMs: number): number {
  return Math.random() * Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** retry);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
