import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientLimits, MAP_CALL_ERRORS, mapCallErrors, withDeadline } from './aws-deadlines';

export interface DocumentClientOptions {
  region: string;
  endpoint?: string;
  /** Called once per `send` with the operation name, e.g. 'Query' or 'TransactWriteItems'. */
  onCall?: (operation: string) => void;
  /** Deadline of each call, retries included (default 3 s). */
  timeoutMs?: number;
  /** Attempts per call within the deadline (default 3). */
  maxAttempts?: number;
  /** Replaces the error a call ends with (the app turns "unreachable" into its typed error). */
  mapError?: (err: unknown) => unknown;
}

export function createDocumentClient(opts: DocumentClientOptions): DynamoDBDocumentClient {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const client = new DynamoDBClient({
    region: opts.region,
    endpoint: opts.endpoint,
    ...awsClientLimits({ timeoutMs, maxAttempts: opts.maxAttempts }),
  });
  const { onCall, mapError } = opts;
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
  if (mapError) client.middlewareStack.add(mapCallErrors(mapError), MAP_CALL_ERRORS);
  return withDeadline(new OwningDocumentClient(client), timeoutMs);
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
