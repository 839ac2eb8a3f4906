import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, ensureTable, tableExists, TABLE } from './table';
import { dropTable, testClient, uniqueTableName } from './spec-support';

describe('ensureTable', () => {
  const client = testClient();
  const created: string[] = [];
  const fresh = (label: string) => {
    const name = uniqueTableName(label);
    created.push(name);
    return name;
  };

  afterAll(async () => {
    await Promise.all(created.map((name) => dropTable(client, name)));
    client.destroy();
  });

  it('creates the single table with its keys, indexes, billing and TTL, then reports it exists', async () => {
    const name = fresh('table');
    expect(await ensureTable(client, name)).toBe('created');
    expect(await ensureTable(client, name)).toBe('exists');

    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = (Table?.GlobalSecondaryIndexes ?? [])
      .map((ix) => ({
        name: ix.IndexName,
        keys: ix.KeySchema?.map((k) => k.AttributeName),
        projection: ix.Projection?.ProjectionType,
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(indexes).toEqual([
      { name: 'GSI1', keys: ['GSI1PK', 'GSI1SK'], projection: 'ALL' },
      { name: 'GSI2', keys: ['GSI2PK', 'GSI2SK'], projection: 'ALL' },
    ]);

    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: TABLE.ttlAttribute });
  });

  it('lets concurrent callers race: all succeed and exactly one created the table', async () => {
    const name = fresh('race');
    const others = [testClient(), testClient()];
    try {
      const results = await Promise.all([client, ...others].map((c) => ensureTable(c, name)));
      expect(results.filter((r) => r === 'created')).toHaveLength(1);
      expect(results.filter((r) => r === 'exists')).toHaveLength(2);
    } finally {
      others.forEach((c) => c.destroy());
    }
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
  });

  it('enables TTL on a table that was created without it (bootstrap interrupted earlier)', async () => {
    const name = fresh('heal');
    await client.send(new CreateTableCommand(createTableInput(name)));
    expect(await ensureTable(client, name)).toBe('exists');
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('tableExists answers for health checks, through either client type', async () => {
    const name = fresh('health');
    const base = new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT });
    try {
      expect(await tableExists(base, name)).toBe(false);
      expect(await ensureTable(base, name)).toBe('created');
      expect(await tableExists(base, name)).toBe(true);
      expect(await tableExists(client, name)).toBe(true);
    } finally {
      base.destroy();
    }
  });
});
