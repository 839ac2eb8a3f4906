import type { ItemKey } from '@app/dynamo';

/** Delayed jobs are spread over this many index partitions, polled one Query each. */
export const JOB_SHARDS = 4;

/** The lease and schedule of a periodic job: one item per job name, shared by every instance. */
export const periodicJobKey = (name: string): ItemKey => ({ PK: `JOB#${name}`, SK: 'PERIODIC' });

/** A delayed job: one item per job id (a caller's dedupe key makes the id stable). */
export const delayedJobKey = (id: string): ItemKey => ({ PK: `JOB#${id}`, SK: 'DELAYED' });

/** Due delayed jobs are found on GSI1 by run time: `JOBS#<shard>` / `<runAt>#<id>`. */
export const jobShardPartition = (shard: number) => `JOBS#${shard}`;
export const jobIndexSortKey = (runAt: string, id: string) => `${runAt}#${id}`;
