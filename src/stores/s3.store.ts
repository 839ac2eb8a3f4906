import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
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
  /**
   * The same configuration without metrics or deadlines, for presigning only: a presigned URL is
   * computed locally (no call to S3), so it must not count as a store call.
   */
  readonly signer: S3Client;
  readonly bucket: string;
  /** The deadline of ordinary calls; transfers of whole objects pass a longer one of their own. */
  readonly timeoutMs: number;

  constructor(
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.bucket = config.S3_BUCKET;
    this.timeoutMs = config.STORE_TIMEOUT_MS;
    const options: S3ClientConfig = {
      region: config.AWS_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.s3ForcePathStyle,
      // Presigned uploads must not demand checksums browsers do not send.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    this.signer = new S3Client(options);
    const client = new S3Client({ ...awsClientLimits({ timeoutMs: config.STORE_TIMEOUT_MS }), ...options });
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

  /**
   * Bucket rules the media uploads rely on, set idempotently (a PUT replaces the whole rule set):
   * incomplete multipart uploads are aborted after a day (a recording never completed leaves no
   * parts behind, whatever happened to the server), and browsers of MEDIA_CORS_ORIGINS may POST
   * uploads, PUT parts (reading their ETag) and GET objects.
   */
  async ensureBucketRules(): Promise<void> {
    await this.client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: this.bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'abort-incomplete-multipart-uploads',
              Status: 'Enabled',
              Filter: { Prefix: '' },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
          ],
        },
      }),
    );
    await this.client.send(
      new PutBucketCorsCommand({
        Bucket: this.bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              ID: 'browser-uploads',
              AllowedOrigins: this.config.mediaCorsOrigins,
              AllowedMethods: ['GET', 'HEAD', 'POST', 'PUT'],
              AllowedHeaders: ['*'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 3600,
            },
          ],
        },
      }),
    );
  }

  onApplicationShutdown(): void {
    this.client.destroy();
    this.signer.destroy();
  }
}
