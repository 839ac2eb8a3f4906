import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { tableExists } from '@app/dynamo';
import { pingMongo } from '@app/mongo';
import { AppConfig } from '../config/app-config';
import { DynamoStore } from '../stores/dynamo.store';
import { RedisStore } from '../stores/redis.store';
import { S3Store } from '../stores/s3.store';

/** One bounded round trip to each backing service; a slow dependency counts as down. */
@Injectable()
export class DependencyChecks {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
    @InjectConnection() private readonly mongo: Connection,
    private readonly dynamo: DynamoStore,
    private readonly s3: S3Store,
    private readonly redis: RedisStore,
  ) {}

  all(): Array<() => Promise<HealthIndicatorResult>> {
    const checks = [
      () => this.probe('mongodb', () => pingMongo(this.mongo)),
      () =>
        this.probe('dynamodb', async () =>
          this.require(
            await tableExists(this.dynamo.client, this.dynamo.table),
            `table ${this.dynamo.table} is missing`,
          ),
        ),
      () =>
        this.probe('s3', async () => this.require(await this.s3.bucketExists(), `bucket ${this.s3.bucket} is missing`)),
    ];
    const redis = this.redis.client;
    if (redis)
      checks.push(() => this.probe('redis', async () => this.require((await redis.ping()) === 'PONG', 'no PONG')));
    return checks;
  }

  private require(ok: boolean, problem: string): void {
    if (!ok) throw new Error(problem);
  }

  private async probe(key: string, check: () => Promise<void>): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.config.READINESS_TIMEOUT_MS} ms`)),
            this.config.READINESS_TIMEOUT_MS,
          );
        }),
      ]);
      return session.up({ latencyMs: Math.round(performance.now() - started) });
    } catch (err) {
      return session.down({ message: (err as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
