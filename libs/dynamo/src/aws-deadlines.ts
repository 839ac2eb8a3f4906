/** Attempts per call (the first plus retries), all within one deadline. */
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface AwsCallLimits {
  /** Deadline of one call, retries included. */
  timeoutMs: number;
  maxAttempts?: number;
}

/**
 * Client settings that bound every attempt: connecting and waiting for the answer each time out,
 * retries are few. The SDK's defaults wait forever on an endpoint that accepts connections but
 * never answers (a stopped process, a black-holed network).
 */
export function awsClientLimits({ timeoutMs, maxAttempts = DEFAULT_MAX_ATTEMPTS }: AwsCallLimits) {
  // The SDK's default pool (50 sockets) queues bursts of parallel calls and prints warnings
  // outside our JSON logs; the services serve far more concurrent connections than that.
  const agent = { keepAlive: true, maxSockets: 256 };
  return {
    maxAttempts,
    requestHandler: {
      httpAgent: agent,
      httpsAgent: agent,
      // A refused or silent connect leaves time for a retry within the deadline.
      connectionTimeout: Math.max(100, Math.ceil(timeoutMs / maxAttempts)),
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

type Sendable = { send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown> };

/**
 * Gives every `send` of this client an overall deadline: after `timeoutMs` the call is aborted
 * (retries and backoff included) and fails with an AbortError, which `isAwsUnavailable` recognises.
 */
export function withDeadline<C extends Sendable>(client: C, timeoutMs: number): C {
  const send = client.send.bind(client) as (
    command: unknown,
    options?: { abortSignal?: AbortSignal },
  ) => Promise<unknown>;
  Object.defineProperty(client, 'send', {
    value: (command: unknown, options?: { abortSignal?: AbortSignal }) =>
      send(command, { ...options, abortSignal: options?.abortSignal ?? AbortSignal.timeout(timeoutMs) }),
  });
  return client;
}

/**
 * An `initialize` middleware that lets `mapError` replace the error a call ends with (after the
 * SDK's retries), e.g. to turn "the service is unreachable" into the application's typed error:
 * `client.middlewareStack.add(mapCallErrors(fn), MAP_CALL_ERRORS)`.
 */
export function mapCallErrors(mapError: (err: unknown) => unknown) {
  return <A, R>(next: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      try {
        return await next(args);
      } catch (err) {
        throw mapError(err);
      }
    };
}

export const MAP_CALL_ERRORS = { step: 'initialize', name: 'mapCallErrors', priority: 'high', override: true } as const;
