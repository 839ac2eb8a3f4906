import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { createBatchGetLoader, ItemKey } from '@app/dynamo';
import { DynamoStore } from '../stores/dynamo.store';
import { MetricsService } from '../observability/metrics.service';

export type DynamoItem = Record<string, unknown>;

/**
 * The loaders of one GraphQL request, created fresh per request so caches never leak between
 * users. Features add their own loaders by declaration merging and register how to build them
 * with `LoaderFactory.register` (see src/teachers/teacher-profile.loader.ts).
 */
export interface RequestLoaders {
  /** Any DynamoDB item by key, batched into BatchGetItem calls of at most 100 keys. */
  dynamoItems: DataLoader<ItemKey, DynamoItem | null, string>;
}

type LoaderBuilders = { [K in keyof RequestLoaders]?: () => RequestLoaders[K] };

/**
 * Singleton that builds per-request loaders. (Scope.REQUEST would make every provider that
 * depends on a loader request-scoped too, and cost an injector walk per field.)
 */
@Injectable()
export class LoaderFactory {
  private readonly builders: LoaderBuilders = {};

  constructor(
    private readonly dynamo: DynamoStore,
    private readonly metrics: MetricsService,
  ) {}

  /** A feature's loader, built once per request; called by the feature's provider at boot. */
  register<K extends Exclude<keyof RequestLoaders, 'dynamoItems'>>(name: K, build: () => RequestLoaders[K]): void {
    if (this.builders[name]) throw new Error(`request loader ${name} is registered twice`);
    if (this.prototype) throw new Error(`request loader ${name} is registered after the first request`);
    (this.builders as Record<string, () => unknown>)[name] = build;
  }

  /** Observes the size of each batch a loader sends (the `dataloader_batch_size` histogram). */
  observeBatch(loader: string, size: number): void {
    this.metrics.loaderBatchSize.observe({ loader }, size);
  }

  /**
   * A request's loaders. Each is built when the request first uses it: `me` needs one of the
   * seven, and building all of them was a measurable part of a small request's CPU.
   */
  create(): RequestLoaders {
    this.prototype ??= this.lazyLoaders();
    return Object.create(this.prototype) as RequestLoaders;
  }

  private prototype?: object;

  /** Getters that build a loader on first access and keep it on the request's own object. */
  private lazyLoaders(): object {
    const builders: Record<string, () => unknown> = {
      dynamoItems: () =>
        createBatchGetLoader<DynamoItem>({
          client: this.dynamo.client,
          tableName: this.dynamo.table,
          onBatch: (size) => this.observeBatch('dynamoItems', size),
        }),
      ...(this.builders as Record<string, () => unknown>),
    };
    const prototype = {};
    for (const [name, build] of Object.entries(builders))
      Object.defineProperty(prototype, name, {
        enumerable: true,
        get(this: object) {
          const loader = build();
          Object.defineProperty(this, name, { value: loader, enumerable: true });
          return loader;
        },
      });
    return prototype;
  }
}
