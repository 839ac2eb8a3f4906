import { Global, Module } from '@nestjs/common';
import { DynamoStore } from './dynamo.store';
import { RedisStore } from './redis.store';
import { S3Store } from './s3.store';

/** The clients of DynamoDB, S3 and Redis, one each per server (MongoDB comes from MongooseModule). */
@Global()
@Module({
  providers: [DynamoStore, S3Store, RedisStore],
  exports: [DynamoStore, S3Store, RedisStore],
})
export class StoresModule {}
