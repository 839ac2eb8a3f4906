import { StoreName, StoreUnavailableError } from '@app/common';
import { isAwsUnavailable } from '@app/dynamo';
import { isMongoUnavailable } from '@app/mongo';
import { isRedisUnavailable } from './redis-errors';

/**
 * The one place that decides which store errors mean "the store is unavailable" (each library
 * knows its own errors) and so become SERVICE_UNAVAILABLE instead of a masked internal error or,
 * worse, an answer such as "not found".
 */
const IS_UNAVAILABLE: Record<StoreName, (err: unknown) => boolean> = {
  dynamodb: isAwsUnavailable,
  s3: isAwsUnavailable,
  mongodb: isMongoUnavailable,
  redis: isRedisUnavailable,
  // The payment provider's client types its own failures (src/payments/provider/stripe.provider.ts).
  stripe: () => false,
};

/**
 * For a store client's own error path: the typed StoreUnavailableError when `err` says `store` is
 * unreachable or late, else `err` unchanged (a condition failure, a duplicate key, ...).
 */
export function asStoreFailure(store: StoreName, err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  return IS_UNAVAILABLE[store](err) ? new StoreUnavailableError(store, err) : err;
}

/**
 * For the error formatter and the HTTP filter: which store an error (or its cause) says is
 * unavailable. DynamoDB, S3 and Redis errors arrive typed (their clients wrap them); MongoDB's are
 * recognised here, since Mongoose and the driver offer no single place to wrap them.
 */
export function classifyStoreFailure(err: unknown): StoreName | undefined {
  // Not `instanceof Error`: driver errors may come from another realm (as under jest).
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as Error).cause, depth++) {
    if (e instanceof StoreUnavailableError) return e.store;
    if (isMongoUnavailable(e)) return 'mongodb';
  }
  return undefined;
}
