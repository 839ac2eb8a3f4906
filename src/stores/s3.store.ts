import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientLimits, MAP_CALL_ERRORS, mapCallErrors, withDeadline } from '@app/dynamo';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import { asStoreFailure } from './store-failures';

/**
 * The S3 client and media bucket. Every call has a deadline (STORE_TIMEOUT_MS, retries included)
 * and fails with StoreUnavailableError when S3 is unreachable or late.
 */
@Injectable()
export class S3Store implements OnApplicationShutdown {
  readonly client: S3Client;
  readonly bucket: string;

  constructor(config: AppConfig, metrics: MetricsService) {
    this.bucket = config.S3_BUCKET;
    const client = new S3Client({
      ...awsClientLimits({ timeoutMs: config.STORE_TIMEOUT_MS }),
      region: config.AWS_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.s3ForcePathStyle,
      // Presigned uploads must not demand checksums browsers do not send.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    client.middlewareStack.add(
      (next, context) => (args) => {
        metrics.countStoreCall('s3', String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'storeCallMetrics' },
    );
    client.middlewareStack.add(
      mapCallErrors((err) => asStoreFailure('s3', err)),
      MAP_CALL_ERRORS,
    );
    this.client = withDeadline(client, config.STORE_TIMEOUT_MS);
  }

  async bucketExists(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return false;
      throw err;
    }
  }

  /** Idempotent: creating a bucket we already own is fine. */
  async ensureBucket(): Promise<'created' | 'exists'> {
    if (await this.bucketExists()) return 'exists';
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      return 'created';
    } catch (err) {
      if ((err as Error).name === 'BucketAlreadyOwnedByYou') return 'exists';
      throw err;
    }
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
