import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { createBatchGetLoader, ItemKey } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { MetricsService } from '../observability/metrics.service';
import { TeacherProfilesRepository } from '../teachers/teacher-profiles.repository';
import type { TeacherProfile } from '../teachers/teacher.types';

export type DynamoItem = Record<string, unknown>;

/** The loaders of one GraphQL request: created fresh per request so caches never leak between users. */
export interface RequestLoaders {
  /** Any DynamoDB item by key, batched into BatchGetItem calls of at most 100 keys. */
  dynamoItems: DataLoader<ItemKey, DynamoItem | null, string>;
  /** Teacher profiles by id (the teacher's user id): one MongoDB find per batch, null when missing. */
  teacherProfiles: DataLoader<string, TeacherProfile | null>;
}

/**
 * Singleton that builds per-request loaders. (Scope.REQUEST would make every provider that
 * depends on a loader request-scoped too, and cost an injector walk per field.)
 */
@Injectable()
export class LoaderFactory {
  constructor(
    private readonly dynamo: DynamoStore,
    private readonly metrics: MetricsService,
    private readonly teacherProfiles: TeacherProfilesRepository,
  ) {}

  create(): RequestLoaders {
    return {
      dynamoItems: createBatchGetLoader<DynamoItem>({
        client: this.dynamo.client,
        tableName: this.dynamo.table,
        onBatch: (size) => this.metrics.loaderBatchSize.observe({ loader: 'dynamoItems' }, size),
      }),
      teacherProfiles: new DataLoader<string, TeacherProfile | null>(
        (ids) => {
          this.metrics.loaderBatchSize.observe({ loader: 'teacherProfiles' }, ids.length);
          return this.teacherProfiles.findByIds(ids);
        },
        { maxBatchSize: 500 },
      ),
    };
  }
}
