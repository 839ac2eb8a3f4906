import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';

/** The DynamoDB document client and table name; only repositories use it. */
@Injectable()
export class DynamoStore implements OnApplicationShutdown {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;

  constructor(config: AppConfig, metrics: MetricsService) {
    this.table = config.DYNAMODB_TABLE;
    this.client = createDocumentClient({
      region: config.AWS_REGION,
      endpoint: config.DYNAMODB_ENDPOINT,
      onCall: (operation) => metrics.countStoreCall('dynamodb', operation),
    });
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
