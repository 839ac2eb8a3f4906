import { Injectable } from '@nestjs/common';
import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@app/common';
import { cancellationReasons, isTransactionCanceled, queryAll, queryCursorPage, queryPage } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { Lesson, LessonStatus } from './lesson.types';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

import {
  lessonIndexKeys,
  lessonKey,
  lockKey,
  lockSortKey,
  PENDING_PARTITION as PENDING_PK,
  pendingKey,
  studentPartition,
  teacherPartition as teacherPk,
} from './bookings.keys';
const idempotencyKey = (userId: string, key: string) => ({ PK: `IDEMP#${userId}#${key}`, SK: 'IDEMP' });

export type LessonSide = 'teacher' | 'student';

/** Which lessons of a side: start time range (ISO, `to` inclusive) and filters. */
export interface LessonRange {
  from?: string;
  to?: string;
  statuses?: LessonStatus[];
  seriesId?: string;
}

/** Why a lesson transaction was cancelled. */
export type WriteFailure = { kind: 'slot-taken' } | { kind: 'stale' } | { kind: 'idempotent-replay' };
export class LessonWriteFailed extends Error {
  constructor(readonly failure: WriteFailure) {
    super(failure.kind);
  }
}

export interface IdempotencyRecord {
  operation: string;
  fingerprint: string;
  lessonIds: string[];
}

export interface IdempotencyWrite {
  userId: string;
  key: string;
  record: IdempotencyRecord;
  ttlSeconds: number;
  now: Date;
}

function lessonItem(lesson: Lesson): Item {
  return {
    ...lessonKey(lesson.id),
    ...lesson,
    ...lessonIndexKeys(lesson),
  };
}

function toLesson(item: Item): Lesson {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g1s, GSI2PK: _g2, GSI2SK: _g2s, ...lesson } = item;
  return lesson as unknown as Lesson;
}

/**
 * Lessons, their slot locks, the pending-expiry index and idempotency records. Every change of
 * a lesson is one TransactWriteItems: the lesson (conditioned on its version), the locks it takes
 * (attribute_not_exists) or frees, so a lost race changes nothing.
 */
@Injectable()
export class LessonsRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** Creates lessons with all their locks in one transaction (at most 100 items). */
  async create(lessons: Lesson[], idempotency?: IdempotencyWrite): Promise<void> {
    const items: TransactItem[] = [];
    for (const lesson of lessons) {
      items.push({
        Put: {
          TableName: this.dynamo.table,
          Item: lessonItem(lesson),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      for (const g of lesson.locks) {
        items.push({
          Put: {
            TableName: this.dynamo.table,
            Item: { ...lockKey(lesson.teacherId, g), lessonId: lesson.id, granule: g },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
      }
      if (lesson.pendingExpiresAt)
        items.push({ Put: { TableName: this.dynamo.table, Item: { ...pendingKey(lesson), lessonId: lesson.id } } });
    }
    if (idempotency) items.push(this.idempotencyPut(idempotency));
    await this.transact(items, idempotency !== undefined);
  }

  /**
   * Replaces `before` by `after` (same id): the lesson is updated only if nobody changed it since
   * it was read (version), freed granules are deleted, newly needed ones taken, and granules both
   * need are checked to still be this lesson's (DynamoDB allows one operation per item).
   */
  async update(before: Lesson, after: Lesson, idempotency?: IdempotencyWrite): Promise<void> {
    const table = this.dynamo.table;
    const kept = new Set(after.locks.filter((g) => before.locks.includes(g)));
    const items: TransactItem[] = [
      {
        Put: {
          TableName: table,
          Item: lessonItem(after),
          ConditionExpression: '#version = :version AND #status = :status',
          ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
          ExpressionAttributeValues: { ':version': before.version, ':status': before.status },
        },
      },
    ];
    for (const g of before.locks) {
      if (kept.has(g)) continue;
      items.push({
        Delete: {
          TableName: table,
          Key: lockKey(before.teacherId, g),
          ConditionExpression: 'lessonId = :id',
          ExpressionAttributeValues: { ':id': before.id },
        },
      });
    }
    for (const g of after.locks) {
      if (kept.has(g)) {
        items.push({
          ConditionCheck: {
            TableName: table,
            Key: lockKey(after.teacherId, g),
            ConditionExpression: 'lessonId = :id',
            ExpressionAttributeValues: { ':id': after.id },
          },
        });
      } else {
        items.push({
          Put: {
            TableName: table,
            Item: { ...lockKey(after.teacherId, g), lessonId: after.id, granule: g },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
      }
    }
    if (before.pendingExpiresAt && before.pendingExpiresAt !== after.pendingExpiresAt)
      items.push({ Delete: { TableName: table, Key: pendingKey(before) } });
    if (after.pendingExpiresAt && before.pendingExpiresAt !== after.pendingExpiresAt)
      items.push({ Put: { TableName: table, Item: { ...pendingKey(after), lessonId: after.id } } });
    if (idempotency) items.push(this.idempotencyPut(idempotency));
    await this.transact(items, idempotency !== undefined);
  }

  /** Removes lessons and their locks outright (undoing a series that could not be completed). */
  async remove(lessons: Lesson[]): Promise<void> {
    for (const lesson of lessons) {
      const items: TransactItem[] = [
        { Delete: { TableName: this.dynamo.table, Key: lessonKey(lesson.id) } },
        ...lesson.locks.map((g) => ({
          Delete: {
            TableName: this.dynamo.table,
            Key: lockKey(lesson.teacherId, g),
            ConditionExpression: 'lessonId = :id',
            ExpressionAttributeValues: { ':id': lesson.id },
          },
        })),
      ];
      if (lesson.pendingExpiresAt) items.push({ Delete: { TableName: this.dynamo.table, Key: pendingKey(lesson) } });
      await this.dynamo.client.send(new TransactWriteCommand({ TransactItems: items }));
    }
  }

  async get(id: string): Promise<Lesson | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: lessonKey(id), ConsistentRead: true }),
    );
    return res.Item ? toLesson(res.Item) : null;
  }

  /** Granules locked for a teacher in [from, to). */
  async lockedGranules(teacherId: string, from: Date, to: Date): Promise<Set<string>> {
    const locks = await queryAll<{ granule: string }>(this.dynamo.client, {
      tableName: this.dynamo.table,
      partitionKey: { name: 'PK', value: teacherPk(teacherId) },
      sortKey: { name: 'SK', between: [lockSortKey(from.toISOString()), lockSortKey(to.toISOString())] },
      consistentRead: true,
    });
    return new Set(locks.map((l) => l.granule));
  }

  /** A page of a teacher's (GSI1) or student's (GSI2) lessons by start time. */
  async pageFor(
    side: LessonSide,
    userId: string,
    opts: LessonRange & { limit: number; after?: string | null; descending?: boolean },
  ): Promise<Page<Lesson>> {
    const index = side === 'teacher' ? 'GSI1' : 'GSI2';
    return queryCursorPage(
      this.dynamo.client,
      { ...this.rangeQuery(side, userId, opts), limit: opts.limit, scanForward: !opts.descending },
      {
        after: opts.after,
        map: toLesson,
        keyOf: (lesson) => {
          const keys = lessonIndexKeys(lesson);
          return { ...lessonKey(lesson.id), [`${index}PK`]: keys[`${index}PK`], [`${index}SK`]: keys[`${index}SK`] };
        },
      },
    );
  }

  /** Every lesson of the range (calendar feeds, series): bounded by the range and filters. */
  async allFor(side: LessonSide, userId: string, opts: LessonRange): Promise<Lesson[]> {
    return (await queryAll<Item>(this.dynamo.client, this.rangeQuery(side, userId, opts), 100)).map(toLesson);
  }

  private rangeQuery(side: LessonSide, userId: string, opts: LessonRange) {
    const index = side === 'teacher' ? 'GSI1' : 'GSI2';
    const clauses: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (opts.statuses?.length) {
      clauses.push(`#status IN (${opts.statuses.map((_, i) => `:s${i}`).join(', ')})`);
      names['#status'] = 'status';
      opts.statuses.forEach((s, i) => (values[`:s${i}`] = s));
    }
    if (opts.seriesId) {
      clauses.push('seriesId = :series');
      values[':series'] = opts.seriesId;
    }
    return {
      tableName: this.dynamo.table,
      indexName: index,
      partitionKey: { name: `${index}PK`, value: side === 'teacher' ? teacherPk(userId) : studentPartition(userId) },
      sortKey: { name: `${index}SK`, between: [opts.from ?? '0000', `${opts.to ?? '9999'}~`] as [string, string] },
      filter: clauses.length
        ? { expression: clauses.join(' AND '), names: Object.keys(names).length ? names : undefined, values }
        : undefined,
    } as const;
  }

  /** Ids of pending lessons whose expiry time has passed. */
  async duePending(now: Date, limit: number): Promise<string[]> {
    const page = await queryPage<{ lessonId: string }>(this.dynamo.client, {
      tableName: this.dynamo.table,
      partitionKey: { name: 'PK', value: PENDING_PK },
      sortKey: { name: 'SK', lte: `${now.toISOString()}#~` },
      limit,
    });
    return page.items.map((i) => i.lessonId);
  }

  async getIdempotency(userId: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: idempotencyKey(userId, key), ConsistentRead: true }),
    );
    if (!res.Item || (res.Item.expiresAt as number) * 1000 < now.getTime()) return null;
    return res.Item.record as IdempotencyRecord;
  }

  async deleteIdempotency(userId: string, key: string): Promise<void> {
    await this.dynamo.client.send(
      new DeleteCommand({ TableName: this.dynamo.table, Key: idempotencyKey(userId, key) }),
    );
  }

  private idempotencyPut(write: IdempotencyWrite): TransactItem {
    return {
      Put: {
        TableName: this.dynamo.table,
        Item: {
          ...idempotencyKey(write.userId, write.key),
          record: write.record,
          expiresAt: Math.floor(write.now.getTime() / 1000) + write.ttlSeconds,
        },
        // An expired record (not yet removed by TTL) may be replaced.
        ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(write.now.getTime() / 1000) },
      },
    };
  }

  private async transact(items: TransactItem[], lastIsIdempotency: boolean): Promise<void> {
    if (items.length > 100) throw new Error(`a lesson transaction needs ${items.length} items; DynamoDB allows 100`);
    try {
      await this.dynamo.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (!isTransactionCanceled(err)) throw err;
      const reasons = cancellationReasons(err);
      if (lastIsIdempotency && reasons[reasons.length - 1] === 'ConditionalCheckFailed')
        throw new LessonWriteFailed({ kind: 'idempotent-replay' });
      if (reasons[0] === 'ConditionalCheckFailed' && items[0].Put?.ConditionExpression?.includes('#version'))
        throw new LessonWriteFailed({ kind: 'stale' });
      if (reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict'))
        throw new LessonWriteFailed({ kind: 'slot-taken' });
      throw err;
    }
  }
}
