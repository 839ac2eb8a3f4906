import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription<T> {
  /** Everything received so far. */
  events: T[];
  errors: Array<{ message: string; extensions?: Record<string, any> }>;
  /** Resolves once `count` events arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves when the server ended the subscription with an error. */
  failed: Promise<Array<{ message: string; extensions?: Record<string, any> }>>;
  /** Resolves with the close code when the server closes the socket. */
  closed: Promise<number>;
  close(): Promise<void>;
}

/** Subscribes over graphql-ws as a user (token in connectionParams) or anonymously. */
export async function subscribe<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  token?: string,
): Promise<Subscription<T>> {
  const client: Client = createClient({
    url: baseUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    // Close codes are asserted through `closed`; the default handler would print the event.
    onNonLazyError: () => undefined,
  });
  const events: T[] = [];
  const errors: Subscription<T>['errors'] = [];
  const waiters: Array<() => void> = [];
  let fail!: (e: Subscription<T>['errors']) => void;
  const failed = new Promise<Subscription<T>['errors']>((resolve) => (fail = resolve));
  let subscribed!: () => void;
  const acknowledged = new Promise<void>((resolve) => (subscribed = resolve));
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  client.on('connected', () => subscribed());
  client.on('closed', (event) => {
    onClosed((event as { code: number }).code);
    subscribed(); // a refused connection never acknowledges
  });
  client.subscribe<T>(
    { query },
    {
      next: (value) => {
        if (value.errors?.length) {
          errors.push(...(value.errors as Subscription<T>['errors']));
          fail(errors);
        } else if (value.data) {
          events.push(value.data);
          waiters.forEach((w) => w());
        }
      },
      error: (err) => {
        errors.push(...(Array.isArray(err) ? err : [{ message: String((err as Error)?.message ?? err) }]));
        fail(errors);
      },
      complete: () => undefined,
    },
  );
  await acknowledged;
  // The subscribe message is sent right after the ack; give the server a moment to register it.
  await new Promise((r) => setTimeout(r, 150));
  return {
    events,
    errors,
    failed,
    closed,
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => events.length >= count && (clearTimeout(timer), resolve(events.slice()));
        const timer = setTimeout(
          () =>
            reject(
              new Error(`expected ${count} events, got ${JSON.stringify(events)} errors ${JSON.stringify(errors)}`),
            ),
          timeoutMs,
        );
        waiters.push(check);
        check();
      });
    },
    close: () => client.dispose() as Promise<void>,
  };
}
