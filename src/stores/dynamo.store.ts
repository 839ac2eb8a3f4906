import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import { asStoreFailure } from './store-failures';

/**
 * The DynamoDB document client and table name; only repositories use it. Every call has a
 * deadline (STORE_TIMEOUT_MS, retries included) and fails with StoreUnavailableError when
 * DynamoDB is unreachable or late.
 */
@Injectable()
export class DynamoStore implements OnApplicationShutdown {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;

  constructor(config: AppConfig, metrics: MetricsService) {
    this.table = config.DYNAMODB_TABLE;
    this.client = createDocumentClient({
      region: config.AWS_REGION,
      endpoint: config.DYNAMODB_ENDPOINT,
      timeoutMs: config.STORE_TIMEOUT_MS,
      onCall: (operation) => metrics.countStoreCall('dynamodb', operation),
      mapError: (err) => asStoreFailure('dynamodb', err),
    });
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
