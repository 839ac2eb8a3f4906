import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ensureTable } from '@app/dynamo';
import { syncAllIndexes } from '@app/mongo';
import { AppConfig } from '../config/app-config';
import { DynamoStore } from '../stores/dynamo.store';
import { S3Store } from '../stores/s3.store';

/**
 * With BOOTSTRAP_RESOURCES=true (development, tests, first deploy) creates the DynamoDB table, the
 * S3 bucket and the MongoDB collections and indexes before the server takes traffic. Idempotent.
 */
@Injectable()
export class ResourceBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResourceBootstrapService.name);
  private readiness?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly dynamo: DynamoStore,
    private readonly s3: S3Store,
    @InjectConnection() private readonly mongo: Connection,
  ) {}

  /**
   * Settles once the resources exist (at once when BOOTSTRAP_RESOURCES is off). The first caller
   * starts the work, so a boot step in another module (the demo seed) may await this from its own
   * onApplicationBootstrap without depending on the order in which Nest runs those hooks.
   */
  get ready(): Promise<void> {
    return (this.readiness ??= this.ensureResources());
  }

  onApplicationBootstrap(): Promise<void> {
    return this.ready;
  }

  private async ensureResources(): Promise<void> {
    if (!this.config.BOOTSTRAP_RESOURCES) return;
    const [table, bucket, models] = await Promise.all([
      ensureTable(this.dynamo.client, this.dynamo.table),
      this.s3.ensureBucket().then(async (state) => {
        await this.s3.ensureBucketRules();
        return state;
      }),
      syncAllIndexes(this.mongo),
    ]);
    this.logger.log(
      `resources ready: table ${this.dynamo.table} (${table}), bucket ${this.s3.bucket} (${bucket}, lifecycle and CORS rules set), indexes of ${models.length} models`,
    );
  }
}
