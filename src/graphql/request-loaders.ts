import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { createBatchGetLoader, ItemKey } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { MetricsService } from '../observability/metrics.service';

export type DynamoItem = Record<string, unknown>;

/** The loaders of one GraphQL request: created fresh per request so caches never leak between users. */
export interface RequestLoaders {
  /** Any DynamoDB item by key, batched into BatchGetItem calls of at most 100 keys. */
  dynamoItems: DataLoader<ItemKey, DynamoItem | null, string>;
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
  ) {}

  create(): RequestLoaders {
    return {
      dynamoItems: createBatchGetLoader<DynamoItem>({
        client: this.dynamo.client,
        tableName: this.dynamo.table,
        onBatch: (size) => this.metrics.loaderBatchSize.observe({ loader: 'dynamoItems' }, size),
      }),
    };
  }
}
