// Shared by this library's specs only (not exported from index.ts).
import { batchWriteAll } from './batch-write';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createDocumentClient } from './client';

export function testClient(onCall?: (operation: string) => void): DynamoDBDocumentClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error('DYNAMODB_ENDPOINT is not set; run these specs through jest (global setup starts moto)');
  // The suite's moto is shared and may queue calls for seconds on a busy machine.
  return createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint, onCall, timeoutMs: 30_000 });
}

export function uniqueTableName(label: string): string {
  return `test-${label}-${ulid().toLowerCase()}`;
}

export async function dropTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
  }
}

export async function putAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: Record<string, unknown>[],
): Promise<void> {
  await batchWriteAll(
    client,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

/** Counts operations per name, as a metrics callback would. */
export interface CallCounter {
  onCall: (operation: string) => void;
  count: (operation: string) => number;
  reset: () => void;
}

export function callCounter(): CallCounter {
  const counts = new Map<string, number>();
  return {
    onCall: (operation) => counts.set(operation, (counts.get(operation) ?? 0) + 1),
    count: (operation) => counts.get(operation) ?? 0,
    reset: () => counts.clear(),
  };
}
