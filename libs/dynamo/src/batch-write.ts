import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type WriteRequest =
  { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * Writes every request, 25 per BatchWriteItem (DynamoDB's limit), retrying UnprocessedItems
 * with capped, jittered backoff; throws naming the table when they never clear.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  { maxRetries = 8, baseDelayMs = 25 } = {},
): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > maxRetries)
        throw new Error(
          `BatchWriteItem on table "${tableName}": ${pending.length} write(s) still unprocessed after ${maxRetries} retries`,
        );
      if (attempt > 0)
        await new Promise((r) => setTimeout(r, Math.min(2000, baseDelayMs * 2 ** attempt) * Math.random()));
      const res = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = res.UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
    }
  }
}
