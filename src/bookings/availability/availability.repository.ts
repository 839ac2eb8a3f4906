import { Injectable } from '@nestjs/common';
import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryPage } from '@app/dynamo';
import { DynamoStore } from '../../stores/dynamo.store';
import type { DateOverride, WeeklyWindow } from './availability.types';

const teacherPk = (teacherId: string) => `TEACHER#${teacherId}`;
const WEEKLY_SK = 'AVAIL#WEEKLY';
const overrideSk = (date: string) => `OVERRIDE#${date}`;

/** Availability items of one teacher: AVAIL#WEEKLY and OVERRIDE#<date>, all in TEACHER#id. */
@Injectable()
export class AvailabilityRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  async getWeekly(teacherId: string): Promise<WeeklyWindow[]> {
    const res = await this.dynamo.client.send(new GetCommand({ TableName: this.dynamo.table, Key: { PK: teacherPk(teacherId), SK: WEEKLY_SK } }));
    return (res.Item?.windows as WeeklyWindow[] | undefined) ?? [];
  }

  async putWeekly(teacherId: string, windows: WeeklyWindow[]): Promise<void> {
    await this.dynamo.client.send(
      new PutCommand({
        TableName: this.dynamo.table,
        Item: { PK: teacherPk(teacherId), SK: WEEKLY_SK, windows, updatedAt: new Date().toISOString() },
      }),
    );
  }

  /** Overrides for dates in [fromDate, toDate] (YYYY-MM-DD, inclusive). */
  async overridesBetween(teacherId: string, fromDate: string, toDate: string): Promise<DateOverride[]> {
    const out: DateOverride[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const page = await queryPage<{ date: string; windows: DateOverride['windows'] }>(this.dynamo.client, {
        tableName: this.dynamo.table,
        partitionKey: { name: 'PK', value: teacherPk(teacherId) },
        sortKey: { name: 'SK', between: [overrideSk(fromDate), overrideSk(toDate)] },
        limit: 100,
        exclusiveStartKey: after,
      });
      out.push(...page.items.map((i) => ({ date: i.date, windows: i.windows })));
      after = page.lastEvaluatedKey;
    } while (after);
    return out;
  }

  /** Sets (or with `windows === null`, removes) the override of each date. */
  async writeOverrides(teacherId: string, changes: Array<{ date: string; windows: DateOverride['windows'] | null }>): Promise<void> {
    for (let i = 0; i < changes.length; i += 25) {
      let requests: Array<Record<string, any>> | undefined = changes.slice(i, i + 25).map((c) =>
        c.windows === null
          ? { DeleteRequest: { Key: { PK: teacherPk(teacherId), SK: overrideSk(c.date) } } }
          : { PutRequest: { Item: { PK: teacherPk(teacherId), SK: overrideSk(c.date), date: c.date, windows: c.windows } } },
      );
      for (let attempt = 0; requests?.length; attempt++) {
        if (attempt > 8) throw new Error(`BatchWriteItem: ${requests.length} override writes still unprocessed`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt) * Math.random()));
        const res = await this.dynamo.client.send(new BatchWriteCommand({ RequestItems: { [this.dynamo.table]: requests } }));
        requests = res.UnprocessedItems?.[this.dynamo.table] as typeof requests;
      }
    }
  }
}
