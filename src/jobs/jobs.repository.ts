import { Injectable } from '@nestjs/common';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, queryPage, type TransactPart } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { delayedJobKey, jobIndexSortKey, jobShardPartition, periodicJobKey } from './jobs.keys';

/** A delayed job as stored. Instants are ISO strings (they sort as they compare). */
export interface DelayedJobRecord {
  id: string;
  name: string;
  payload: unknown;
  runAt: string;
  attempts: number;
  status: 'PENDING' | 'FAILED';
  lastError?: string;
  leaseOwner?: string;
  leaseUntil?: string;
  /** The caller's version of a keyed job: an older version never replaces a newer one. */
  version?: number;
}

/**
 * Leases and schedules of jobs in DynamoDB. Every claim is a conditional write, so however many
 * instances poll, a periodic job runs on one of them per period and a delayed job runs once
 * (again only after its lease has expired, when its runner died).
 */
@Injectable()
export class JobsRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** When the periodic job is next due (null: never run, due now). */
  async periodicNextRun(name: string): Promise<string | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: periodicJobKey(name), ConsistentRead: true }),
    );
    return (res.Item?.nextRunAt as string | undefined) ?? null;
  }

  /**
   * Claims a due periodic job for `owner` until `leaseUntil`. Returns the schedule slot it claimed
   * (its nextRunAt, or `now` for a first run), or null when it is not due or another instance holds it.
   */
  async claimPeriodic(name: string, owner: string, now: string, leaseUntil: string): Promise<string | null> {
    try {
      const res = await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: periodicJobKey(name),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :lease, nextRunAt = if_not_exists(nextRunAt, :now)',
          ConditionExpression:
            '(attribute_not_exists(nextRunAt) OR nextRunAt <= :now) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeValues: { ':owner': owner, ':lease': leaseUntil, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes!.nextRunAt as string;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  /** Ends a run: the next slot and the outcome; only the lease holder may. */
  async finishPeriodic(
    name: string,
    owner: string,
    next: { nextRunAt: string; lastRunAt: string; outcome: 'success' | 'failure'; error?: string },
  ): Promise<void> {
    try {
      await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: periodicJobKey(name),
          UpdateExpression:
            'SET nextRunAt = :next, lastRunAt = :last, lastOutcome = :outcome, lastError = :error REMOVE leaseOwner, leaseUntil',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: {
            ':next': next.nextRunAt,
            ':last': next.lastRunAt,
            ':outcome': next.outcome,
            ':error': next.error ?? null,
            ':owner': owner,
          },
        }),
      );
    } catch (err) {
      // The lease ran out and another instance took over: its finish counts, not ours.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /**
   * Creates or replaces a delayed job (replacing reschedules it and resets its attempts). A job
   * with a `version` replaces only an older version; false when a newer one is stored.
   */
  async putDelayed(job: DelayedJobRecord, shard: number, expiresAt: number): Promise<boolean> {
    try {
      await this.dynamo.client.send(
        new PutCommand({
          TableName: this.dynamo.table,
          Item: this.delayedItem(job, shard, expiresAt),
          ...(job.version === undefined
            ? {}
            : {
                ConditionExpression: 'attribute_not_exists(PK) OR attribute_not_exists(version) OR version < :v',
                ExpressionAttributeValues: { ':v': job.version },
              }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  /** A new delayed job as a part of the caller's transaction; the transaction fails if the job exists. */
  delayedPart(job: DelayedJobRecord, shard: number, expiresAt: number): TransactPart {
    return {
      item: {
        Put: {
          TableName: this.dynamo.table,
          Item: this.delayedItem(job, shard, expiresAt),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    };
  }

  private delayedItem(job: DelayedJobRecord, shard: number, expiresAt: number) {
    return {
      ...delayedJobKey(job.id),
      ...job,
      GSI1PK: jobShardPartition(shard),
      GSI1SK: jobIndexSortKey(job.runAt, job.id),
      expiresAt,
    };
  }

  async getDelayed(id: string): Promise<DelayedJobRecord | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: delayedJobKey(id), ConsistentRead: true }),
    );
    return res.Item ? toRecord(res.Item) : null;
  }

  /** Deletes a delayed job; with `olderThan`, only one stored with an older (or no) version. */
  async deleteDelayed(id: string, olderThan?: number): Promise<void> {
    try {
      await this.dynamo.client.send(
        new DeleteCommand({
          TableName: this.dynamo.table,
          Key: delayedJobKey(id),
          ...(olderThan === undefined
            ? {}
            : {
                ConditionExpression: 'attribute_not_exists(version) OR version < :v',
                ExpressionAttributeValues: { ':v': olderThan },
              }),
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /** Pending jobs of a shard due at `now` (the index is eventually consistent: a claim re-checks). */
  async dueDelayed(shard: number, now: string, limit: number): Promise<Array<{ id: string; runAt: string }>> {
    const page = await queryPage<Record<string, unknown>>(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: jobShardPartition(shard) },
      sortKey: { name: 'GSI1SK', lte: `${now}#~` },
      limit,
    });
    return page.items.map((i) => ({ id: i.id as string, runAt: i.runAt as string }));
  }

  /** Claims a due delayed job; null when it was rescheduled, taken, finished or never due. */
  async claimDelayed(id: string, runAt: string, owner: string, now: string, leaseUntil: string) {
    try {
      const res = await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: delayedJobKey(id),
          UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :lease',
          ConditionExpression:
            '#status = :pending AND runAt = :runAt AND runAt <= :now AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':lease': leaseUntil,
            ':pending': 'PENDING',
            ':runAt': runAt,
            ':now': now,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(res.Attributes!);
    } catch (err) {
      if (isConditionalCheckFailed(err)) return null;
      throw err;
    }
  }

  /** Done: removed, unless it was rescheduled meanwhile (then the new schedule stands). */
  async completeDelayed(id: string, owner: string, runAt: string): Promise<void> {
    try {
      await this.dynamo.client.send(
        new DeleteCommand({
          TableName: this.dynamo.table,
          Key: delayedJobKey(id),
          ConditionExpression: 'leaseOwner = :owner AND runAt = :runAt',
          ExpressionAttributeValues: { ':owner': owner, ':runAt': runAt },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  /** A failed attempt: retried at `retryAt`, or kept as FAILED (out of the index) when null. */
  async failDelayed(
    id: string,
    owner: string,
    runAt: string,
    attempts: number,
    error: string,
    retryAt: string | null,
  ): Promise<void> {
    const values: Record<string, unknown> = {
      ':owner': owner,
      ':runAt': runAt,
      ':attempts': attempts,
      ':error': error.slice(0, 1000),
    };
    let update: string;
    if (retryAt) {
      update =
        'SET attempts = :attempts, lastError = :error, runAt = :retry, GSI1SK = :sk REMOVE leaseOwner, leaseUntil';
      values[':retry'] = retryAt;
      values[':sk'] = jobIndexSortKey(retryAt, id);
    } else {
      update =
        'SET attempts = :attempts, lastError = :error, #status = :failed REMOVE leaseOwner, leaseUntil, GSI1PK, GSI1SK';
      values[':failed'] = 'FAILED';
    }
    try {
      await this.dynamo.client.send(
        new UpdateCommand({
          TableName: this.dynamo.table,
          Key: delayedJobKey(id),
          UpdateExpression: update,
          ConditionExpression: 'leaseOwner = :owner AND runAt = :runAt',
          ExpressionAttributeNames: retryAt ? undefined : { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}

function toRecord(item: Record<string, unknown>): DelayedJobRecord {
  return {
    id: item.id as string,
    name: item.name as string,
    payload: item.payload,
    runAt: item.runAt as string,
    attempts: (item.attempts as number | undefined) ?? 0,
    status: item.status as DelayedJobRecord['status'],
    lastError: item.lastError as string | undefined,
    leaseOwner: item.leaseOwner as string | undefined,
    leaseUntil: item.leaseUntil as string | undefined,
    ...(item.version === undefined ? {} : { version: item.version as number }),
  };
}
