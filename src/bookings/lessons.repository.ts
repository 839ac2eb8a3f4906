import { Injectable } from '@nestjs/common';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type DataLoader from 'dataloader';
import type { Page } from '@app/common';
import {
  type ItemKey,
  queryAll,
  queryCursorPage,
  queryPage,
  type TransactItem,
  type TransactPart,
  transactWrite,
} from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { Lesson, LessonStatus } from './lesson.types';

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

import { LessonWriteFailed } from './bookings.errors';

type Item = Record<string, unknown>;

export type LessonSide = 'teacher' | 'student';

/** Which lessons of a side: start time range (ISO, `to` inclusive) and filters. */
export interface LessonRange {
  from?: string;
  to?: string;
  statuses?: LessonStatus[];
  seriesId?: string;
}

const slotTaken = (reason: string) =>
  reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict'
    ? new LessonWriteFailed({ kind: 'slot-taken' })
    : undefined;
const stale = (reason: string) =>
  reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict'
    ? new LessonWriteFailed({ kind: 'stale' })
    : undefined;

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
 * Lessons, their slot locks and the pending-expiry index. Every change of
 * a lesson is one TransactWriteItems: the lesson (conditioned on its version), the locks it takes
 * (attribute_not_exists) or frees, so a lost race changes nothing.
 */
@Injectable()
export class LessonsRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  /** The items a lesson's creation writes: the lesson, its pending-expiry entry and one lock per granule. */
  static itemsToCreate(lesson: Lesson): number {
    return 1 + (lesson.pendingExpiresAt ? 1 : 0) + lesson.locks.length;
  }

  /**
   * Creates lessons with all their locks in one transaction (at most 100 items). `also` are parts
   * of other owners written in the same transaction (idempotency record, outbox events); they go
   * first, so their failure is the one reported.
   */
  async create(lessons: Lesson[], also: TransactPart[] = []): Promise<void> {
    const table = this.dynamo.table;
    const parts: TransactPart[] = [...also];
    for (const lesson of lessons) {
      parts.push({
        item: { Put: { TableName: table, Item: lessonItem(lesson), ConditionExpression: 'attribute_not_exists(PK)' } },
      });
      for (const g of lesson.locks) {
        parts.push({
          item: {
            Put: {
              TableName: table,
              Item: { ...lockKey(lesson.teacherId, g), lessonId: lesson.id, granule: g },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onFailed: slotTaken,
        });
      }
      if (lesson.pendingExpiresAt) {
        parts.push({ item: { Put: { TableName: table, Item: { ...pendingKey(lesson), lessonId: lesson.id } } } });
      }
    }
    await transactWrite(this.dynamo.client, parts);
  }

  /**
   * Replaces `before` by `after` (same id): the lesson is updated only if nobody changed it since
   * it was read (version), freed granules are deleted, newly needed ones taken, and granules both
   * need are checked to still be this lesson's (DynamoDB allows one operation per item).
   */
  async update(before: Lesson, after: Lesson, also: TransactPart[] = []): Promise<void> {
    const table = this.dynamo.table;
    const kept = new Set(after.locks.filter((g) => before.locks.includes(g)));
    const parts: TransactPart[] = [
      ...also,
      {
        item: {
          Put: {
            TableName: table,
            Item: lessonItem(after),
            ConditionExpression: '#version = :version AND #status = :status',
            ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
            ExpressionAttributeValues: { ':version': before.version, ':status': before.status },
          },
        },
        onFailed: stale,
      },
    ];
    const ownLock = { ConditionExpression: 'lessonId = :id', ExpressionAttributeValues: { ':id': before.id } };
    for (const g of before.locks) {
      if (kept.has(g)) continue;
      parts.push({
        item: { Delete: { TableName: table, Key: lockKey(before.teacherId, g), ...ownLock } },
        onFailed: stale,
      });
    }
    for (const g of after.locks) {
      if (kept.has(g)) {
        parts.push({
          item: { ConditionCheck: { TableName: table, Key: lockKey(after.teacherId, g), ...ownLock } },
          onFailed: stale,
        });
      } else {
        parts.push({
          item: {
            Put: {
              TableName: table,
              Item: { ...lockKey(after.teacherId, g), lessonId: after.id, granule: g },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onFailed: slotTaken,
        });
      }
    }
    if (before.pendingExpiresAt && before.pendingExpiresAt !== after.pendingExpiresAt)
      parts.push({ item: { Delete: { TableName: table, Key: pendingKey(before) } } });
    if (after.pendingExpiresAt && before.pendingExpiresAt !== after.pendingExpiresAt)
      parts.push({ item: { Put: { TableName: table, Item: { ...pendingKey(after), lessonId: after.id } } } });
    await transactWrite(this.dynamo.client, parts);
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
      await transactWrite(
        this.dynamo.client,
        items.map((item) => ({ item })),
      );
    }
  }

  async get(id: string): Promise<Lesson | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: lessonKey(id), ConsistentRead: true }),
    );
    return res.Item ? toLesson(res.Item) : null;
  }

  /** A lesson through a request's BatchGet loader (batched with the other items the request reads). */
  async load(loader: DataLoader<ItemKey, Item | null, string>, id: string): Promise<Lesson | null> {
    const item = await loader.load(lessonKey(id));
    return item ? toLesson(item) : null;
  }

  /**
   * Whether the teacher has any lesson, in any state, with the student: the student's lessons
   * (GSI2) filtered by teacher, stopping at the first match.
   */
  async anyBetween(teacherId: string, studentId: string): Promise<boolean> {
    const page = await queryPage(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI2',
      partitionKey: { name: 'GSI2PK', value: studentPartition(studentId) },
      filter: { expression: 'teacherId = :teacher', values: { ':teacher': teacherId } },
      limit: 1,
    });
    return page.items.length > 0;
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
}
