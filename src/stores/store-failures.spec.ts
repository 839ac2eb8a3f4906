import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import { ulid } from 'ulid';
import { StoreUnavailableError } from '@app/common';
import { createDocumentClient, ensureTable, isConditionalCheckFailed } from '@app/dynamo';
import { asStoreFailure, classifyStoreFailure } from './store-failures';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../../scripts/lib/services');

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/**
 * Real errors of each store client, from a closed port (unavailable) and from the local services
 * (answers about the request, which must pass through untouched).
 */
describe('store failure classification', () => {
  let closedPort: number;
  beforeAll(async () => {
    closedPort = await freePort(); // nothing listens there
  });

  it('DynamoDB: an unreachable endpoint is unavailable; a failed condition is an answer', async () => {
    const mapError = (err: unknown) => asStoreFailure('dynamodb', err);
    const away = createDocumentClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${closedPort}`,
      timeoutMs: 1000,
      mapError,
    });
    const err = await caught(away.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'a' } })));
    away.destroy();
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(classifyStoreFailure(err)).toBe('dynamodb');

    const local = createDocumentClient({ region: 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT, mapError });
    const table = `failures-${ulid().toLowerCase()}`;
    await ensureTable(local, table);
    const put = () =>
      local.send(
        new PutCommand({
          TableName: table,
          Item: { PK: 'a', SK: 'a' },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    await put();
    const conflict = await caught(put());
    local.destroy();
    expect(isConditionalCheckFailed(conflict)).toBe(true);
    expect(classifyStoreFailure(conflict)).toBeUndefined();
  });

  it('MongoDB: an unreachable server is unavailable; a duplicate key is an answer', async () => {
    const away = mongoose.createConnection(`mongodb://127.0.0.1:${closedPort}/x`, {
      serverSelectionTimeoutMS: 300,
      timeoutMS: 300,
    });
    const err = await caught(away.asPromise());
    await away.close();
    expect(classifyStoreFailure(err)).toBe('mongodb');
    expect(asStoreFailure('mongodb', err)).toBeInstanceOf(StoreUnavailableError);

    const uri = process.env.MONGODB_URI!.replace(/\/[^/?]*(\?|$)/, `/failures-${ulid().toLowerCase()}$1`);
    const local = await mongoose.createConnection(uri).asPromise();
    const things = local.collection('things');
    await things.insertOne({ _id: 'a' } as never);
    const duplicate = await caught(things.insertOne({ _id: 'a' } as never));
    await local.dropDatabase();
    await local.close();
    expect((duplicate as { code?: number }).code).toBe(11000);
    expect(classifyStoreFailure(duplicate)).toBeUndefined();
    expect(asStoreFailure('mongodb', duplicate)).toBe(duplicate);
  });

  it('Redis: an unreachable server is unavailable; a wrong-type reply is an answer', async () => {
    const away = new Redis(closedPort, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    away.on('error', () => undefined);
    const err = await caught(away.connect().then(() => away.get('k')));
    away.disconnect();
    expect(asStoreFailure('redis', err)).toBeInstanceOf(StoreUnavailableError);

    const url = process.env.REDIS_URL;
    if (!url) return; // without redis-server the suite runs single-instance; the unavailable path is proven above
    const local = new Redis(url);
    const key = `failures:${ulid()}`;
    await local.set(key, 'text');
    const wrongType = await caught(local.hgetall(key));
    await local.del(key);
    await local.quit();
    expect(asStoreFailure('redis', wrongType)).toBe(wrongType);
  });

  it('finds a store failure given as the cause of another error, and nothing in plain errors', () => {
    const cause = new StoreUnavailableError('s3', new Error('timeout'));
    expect(classifyStoreFailure(new Error('upload failed', { cause }))).toBe('s3');
    expect(classifyStoreFailure(new Error('boom'))).toBeUndefined();
    expect(classifyStoreFailure('ECONNREFUSED')).toBeUndefined();
    expect(classifyStoreFailure(null)).toBeUndefined();
  });
});
