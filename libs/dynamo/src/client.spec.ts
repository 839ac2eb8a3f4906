import * as http from 'node:http';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from './table';
import { callCounter, dropTable, testClient, uniqueTableName } from './spec-support';

describe('createDocumentClient', () => {
  const calls = callCounter();
  const client = testClient(calls.onCall);
  const tableName = uniqueTableName('client');

  beforeAll(async () => {
    await ensureTable(client, tableName);
  });
  afterAll(async () => {
    await dropTable(client, tableName);
    client.destroy();
  });
  beforeEach(() => calls.reset());

  it('reports each operation once under its DynamoDB name, for document and low-level commands', async () => {
    await client.send(new PutCommand({ TableName: tableName, Item: { PK: 'A', SK: 'A', skipped: undefined } }));
    await client.send(new GetCommand({ TableName: tableName, Key: { PK: 'A', SK: 'A' } }));
    await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'A' },
      }),
    );
    await client.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: tableName, Item: { PK: 'B', SK: 'B' } } }],
      }),
    );
    await client.send(new DescribeTableCommand({ TableName: tableName }));

    expect(['PutItem', 'GetItem', 'Query', 'TransactWriteItems', 'DescribeTable'].map(calls.count)).toEqual([
      1, 1, 1, 1, 1,
    ]);
  });

  it('removes undefined values and marshals class instances', async () => {
    class Money {
      constructor(
        readonly amount: number,
        readonly currency: string,
      ) {}
    }
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { PK: 'C', SK: 'C', price: new Money(4500, 'EUR'), note: undefined },
      }),
    );
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { PK: 'C', SK: 'C' } }));
    expect(Item).toEqual({ PK: 'C', SK: 'C', price: { amount: 4500, currency: 'EUR' } });
  });

  it('closes its connections on destroy(), unlike a plain document client', async () => {
    const own = testClient();
    await own.send(new GetCommand({ TableName: tableName, Key: { PK: 'A', SK: 'A' } }));
    const agentDestroy = jest.spyOn(http.Agent.prototype, 'destroy');
    try {
      own.destroy();
      expect(agentDestroy).toHaveBeenCalled();
    } finally {
      agentDestroy.mockRestore();
    }
  });

  it('counts a send once even when the SDK retries it', async () => {
    const retrying = testClient(calls.onCall);
    let attempts = 0;
    // Below the retry middleware, so each attempt passes here; the first one fails transiently.
    retrying.middlewareStack.add(
      (next) => async (args) => {
        attempts += 1;
        if (attempts === 1)
          throw Object.assign(new Error('injected timeout'), { name: 'RequestTimeout', $metadata: {} });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'failFirstAttempt' },
    );
    try {
      await retrying.send(new GetCommand({ TableName: tableName, Key: { PK: 'A', SK: 'A' } }));
    } finally {
      retrying.destroy();
    }
    expect(attempts).toBe(2);
    expect(calls.count('GetItem')).toBe(1);
  });
});
