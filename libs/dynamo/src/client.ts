import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DocumentClientOptions {
  region: string;
  endpoint?: string;
  /** Called once per `send` with the operation name, e.g. 'Query' or 'TransactWriteItems'. */
  onCall?: (operation: string) => void;
}

export function createDocumentClient(opts: DocumentClientOptions): DynamoDBDocumentClient {
  // The SDK's default pool (50 sockets) queues bursts of parallel calls and prints warnings
  // outside our JSON logs; DynamoDB serves far more concurrent connections than that.
  const agent = { keepAlive: true, maxSockets: 256 };
  const client = new DynamoDBClient({
    region: opts.region,
    endpoint: opts.endpoint,
    requestHandler: { httpAgent: agent, httpsAgent: agent },
  });
  const { onCall } = opts;
  if (onCall) {
    // 'initialize' runs outside the retry middleware (finalizeRequest), so SDK retries of one
    // send are not counted again. The document client shares this stack, so its commands
    // (reported under the low-level operation name, e.g. BatchGet -> 'BatchGetItem') count too.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        onCall(operationName(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'storeCallCounter', override: true },
    );
  }
  return new OwningDocumentClient(client);
}

// lib-dynamodb's destroy() is a no-op because the wrapped client may be shared; here the
// document client is the only handle callers get, so it must close the sockets on shutdown.
class OwningDocumentClient extends DynamoDBDocumentClient {
  constructor(private readonly base: DynamoDBClient) {
    super(base, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });
  }

  override destroy(): void {
    this.base.destroy();
  }
}

function operationName(commandName: string | undefined): string {
  if (!commandName) return 'Unknown';
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}
