import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The single table every repository shares (see ARCHITECTURE.md, "Two stores"). */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: {
    GSI1: { partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'ALL' },
    GSI2: { partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'ALL' },
  },
  /** Epoch seconds; DynamoDB deletes the item some time after this instant. */
  ttlAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
} as const;

export type IndexName = keyof typeof TABLE.indexes;

type AnyClient = DynamoDBClient | DynamoDBDocumentClient;

export interface EnsureTableOptions {
  /** Upper bound for waiting until the table is ACTIVE. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const indexes = Object.entries(TABLE.indexes);
  const keyNames = [TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap(([, ix]) => [ix.partitionKey, ix.sortKey])];
  return {
    TableName: tableName,
    BillingMode: TABLE.billingMode,
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map(([name, ix]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: 'HASH' },
        { AttributeName: ix.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: ix.projection },
    })),
  };
}

/**
 * Creates the table with its TTL unless it exists. Safe to run from several processes at once:
 * the loser of the CreateTable race waits for the winner's table instead of failing.
 */
export async function ensureTable(
  client: AnyClient,
  tableName: string,
  opts: EnsureTableOptions = {},
): Promise<'created' | 'exists'> {
  const base = asBase(client);
  const deadline = performance.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let outcome: 'created' | 'exists' = 'exists';
  if ((await describeStatus(base, tableName)) === undefined) {
    try {
      await base.send(new CreateTableCommand(createTableInput(tableName)));
      outcome = 'created';
    } catch (err) {
      if (!hasName(err, 'ResourceInUseException')) throw err;
    }
  }
  await waitUntilActive(base, tableName, deadline);
  // Also on 'exists': a process that died between CreateTable and UpdateTimeToLive is healed here.
  await ensureTtl(base, tableName);
  return outcome;
}

/** For readiness checks: the table is there and serving (UPDATING tables still serve). */
export async function tableExists(client: AnyClient, tableName: string): Promise<boolean> {
  const status = await describeStatus(asBase(client), tableName);
  return status === 'ACTIVE' || status === 'UPDATING';
}

// The document client wraps the same config and middleware stack as its DynamoDBClient and
// sends low-level commands unchanged, so control-plane calls may go through either one.
function asBase(client: AnyClient): DynamoDBClient {
  return client;
}

async function describeStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table?.TableStatus ?? 'UNKNOWN';
  } catch (err) {
    if (hasName(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, deadline: number): Promise<void> {
  let delay = 250;
  for (;;) {
    const status = await describeStatus(client, tableName);
    if (status === 'ACTIVE' || status === 'UPDATING') return;
    // Missing is "not yet": DescribeTable is eventually consistent right after CreateTable.
    if (status === 'DELETING') {
      throw new Error(`DynamoDB table "${tableName}" is being deleted; it cannot become ACTIVE`);
    }
    if (performance.now() + delay > deadline) {
      const last = status ?? 'missing';
      throw new Error(`DynamoDB table "${tableName}" not ACTIVE in time (last status ${last})`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 5_000);
  }
}

async function ensureTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  if (await ttlOn(client, tableName)) return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (err) {
    // A concurrent caller enabled it first ("TimeToLive is already enabled") or is enabling it.
    if (hasName(err, 'ValidationException') && (await ttlOn(client, tableName))) return;
    throw err;
  }
}

async function ttlOn(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const out = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const desc = out.TimeToLiveDescription;
  if (desc?.TimeToLiveStatus !== 'ENABLED' && desc?.TimeToLiveStatus !== 'ENABLING') return false;
  if (desc.AttributeName !== TABLE.ttlAttribute) {
    throw new Error(
      `DynamoDB table "${tableName}" has TTL on "${desc.AttributeName}", expected "${TABLE.ttlAttribute}"`,
    );
  }
  return true;
}

function hasName(err: unknown, name: string): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
