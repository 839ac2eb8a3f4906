export { createDocumentClient } from './client';
export { TABLE, ensureTable, tableExists } from './table';
export { createBatchGetLoader } from './batch-get-loader';
export type { ItemKey } from './batch-get-loader';
export { batchWriteAll } from './batch-write';
export type { WriteRequest } from './batch-write';
export { queryPage, queryAll, InvalidStartKeyError } from './query';
export { queryCursorPage } from './cursor-page';
export { isConditionalCheckFailed, isTransactionCanceled, cancellationReasons } from './errors';
