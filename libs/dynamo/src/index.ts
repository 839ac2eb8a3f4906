export { createDocumentClient } from './client';
export { TABLE, ensureTable, tableExists } from './table';
export { createBatchGetLoader } from './batch-get-loader';
export type { ItemKey } from './batch-get-loader';
export { queryPage, encodeKey, decodeKey } from './query';
export { isConditionalCheckFailed, isTransactionCanceled, cancellationReasons } from './errors';
