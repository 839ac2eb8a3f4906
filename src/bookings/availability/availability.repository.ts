import { Injectable } from '@nestjs/common';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll, queryAll } from '@app/dynamo';
import { DynamoStore } from '../../stores/dynamo.store';
import type { DateOverride, WeeklyWindow } from './availability.types';

import {
  overrideSortKey as overrideSk,
  teacherPartition as teacherPk,
  WEEKLY_SORT_KEY as WEEKLY_SK,
} from '../bookings.keys';

/** Availability items of one teacher: AVAIL#WEEKLY and OVERRIDE#<date>, all in TEACHER#id. */
@Injectable()
export class AvailabilityRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  async getWeekly(teacherId: string): Promise<WeeklyWindow[]> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: { PK: teacherPk(teacherId), SK: WEEKLY_SK } }),
    );
    return (res.Item?.windows as WeeklyWindow[] | undefined) ?? [];
  }

  async putWeekly(teacherId: string, windows: WeeklyWindow[], now: Date): Promise<void> {
    await this.dynamo.client.send(
      new PutCommand({
        TableName: this.dynamo.table,
        Item: { PK: teacherPk(teacherId), SK: WEEKLY_SK, windows, updatedAt: now.toISOString() },
      }),
    );
  }

  /** Overrides for dates in [fromDate, toDate] (YYYY-MM-DD, inclusive). */
  async overridesBetween(teacherId: string, fromDate: string, toDate: string): Promise<DateOverride[]> {
    const items = await queryAll<DateOverride>(this.dynamo.client, {
      tableName: this.dynamo.table,
      partitionKey: { name: 'PK', value: teacherPk(teacherId) },
      sortKey: { name: 'SK', between: [overrideSk(fromDate), overrideSk(toDate)] },
    });
    return items.map((i) => ({ date: i.date, windows: i.windows }));
  }

  /** Sets (or with `windows === null`, removes) the override of each date. */
  async writeOverrides(
    teacherId: string,
    changes: Array<{ date: string; windows: DateOverride['windows'] | null }>,
  ): Promise<void> {
    await batchWriteAll(
      this.dynamo.client,
      this.dynamo.table,
      changes.map((c) =>
        c.windows === null
          ? { DeleteRequest: { Key: { PK: teacherPk(teacherId), SK: overrideSk(c.date) } } }
          : {
              PutRequest: {
                Item: { PK: teacherPk(teacherId), SK: overrideSk(c.date), date: c.date, windows: c.windows },
              },
            },
      ),
    );
  }
}
