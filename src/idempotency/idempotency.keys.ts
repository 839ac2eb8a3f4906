import type { ItemKey } from '@app/dynamo';

/** One record per caller and idempotency key. */
export const idempotencyKey = (caller: string, key: string): ItemKey => ({ PK: `IDEMP#${caller}#${key}`, SK: 'IDEMP' });
