import { Injectable } from '@nestjs/common';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { LessonPackage } from './payment.types';
import { packageKey, packagesPartition } from './payments.keys';

type Item = Record<string, unknown>;

function toPackage(item: Item): LessonPackage {
  const { PK: _a, SK: _b, GSI1PK: _c, GSI1SK: _d, ...rest } = item;
  return rest as unknown as LessonPackage;
}

/** Packages by id, and a teacher's packages (GSI1, oldest first). */
@Injectable()
export class PackagesRepository {
  constructor(private readonly dynamo: DynamoStore) {}

  async put(pkg: LessonPackage): Promise<void> {
    await this.dynamo.client.send(
      new PutCommand({
        TableName: this.dynamo.table,
        Item: {
          ...packageKey(pkg.id),
          ...pkg,
          GSI1PK: packagesPartition(pkg.teacherId),
          GSI1SK: `${pkg.createdAt}#${pkg.id}`,
        },
      }),
    );
  }

  async get(id: string): Promise<LessonPackage | null> {
    const res = await this.dynamo.client.send(
      new GetCommand({ TableName: this.dynamo.table, Key: packageKey(id), ConsistentRead: true }),
    );
    return res.Item ? toPackage(res.Item) : null;
  }

  async ofTeacher(teacherId: string): Promise<LessonPackage[]> {
    const items = await queryAll<Item>(this.dynamo.client, {
      tableName: this.dynamo.table,
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', value: packagesPartition(teacherId) },
    });
    return items.map(toPackage);
  }
}
