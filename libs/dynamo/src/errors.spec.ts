import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, isConditionalCheckFailed, isTransactionCanceled } from './errors';
import { ensureTable } from './table';
import { dropTable, testClient, uniqueTableName } from './spec-support';

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('write error helpers', () => {
  const client = testClient();
  const tableName = uniqueTableName('errors');
  const putOnce = (PK: string) => ({
    Put: { TableName: tableName, Item: { PK, SK: 'X' }, ConditionExpression: 'attribute_not_exists(PK)' },
  });

  beforeAll(async () => {
    await ensureTable(client, tableName);
    await client.send(new PutCommand({ TableName: tableName, Item: { PK: 'taken', SK: 'X' } }));
  });
  afterAll(async () => {
    await dropTable(client, tableName);
    client.destroy();
  });

  it('recognises a failed conditional put', async () => {
    const err = await caught(client.send(new PutCommand(putOnce('taken').Put)));
    expect(isConditionalCheckFailed(err)).toBe(true);
    expect(isTransactionCanceled(err)).toBe(false);
    expect(cancellationReasons(err)).toEqual([]);
  });

  it('names the failing item of a cancelled transaction, in request order', async () => {
    const err = await caught(
      client.send(new TransactWriteCommand({ TransactItems: [putOnce('free'), putOnce('taken')] })),
    );
    expect(isTransactionCanceled(err)).toBe(true);
    expect(isConditionalCheckFailed(err)).toBe(false);
    expect(cancellationReasons(err)).toEqual(['None', 'ConditionalCheckFailed']);
  });

  it('answers false and [] for anything else', () => {
    for (const err of [new Error('boom'), null, undefined, 'ConditionalCheckFailedException', { name: 42 }]) {
      expect(isConditionalCheckFailed(err)).toBe(false);
      expect(isTransactionCanceled(err)).toBe(false);
      expect(cancellationReasons(err)).toEqual([]);
    }
  });
});
