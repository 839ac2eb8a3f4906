import { AsyncLocalStorage } from 'node:async_hooks';
import { ulid } from 'ulid';

/** What every log line and error of one request can see, without threading it through calls. */
export interface RequestContextState {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextState>();

const VALID_INCOMING_ID = /^[A-Za-z0-9._-]{1,128}$/;

export const RequestContext = {
  run<T>(state: RequestContextState, fn: () => T): T {
    return storage.run(state, fn);
  },
  current(): RequestContextState | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  /** Honours a well-formed `x-request-id` from a proxy; otherwise makes a new sortable id. */
  idFrom(header: string | string[] | undefined): string {
    const value = Array.isArray(header) ? header[0] : header;
    return value && VALID_INCOMING_ID.test(value) ? value : ulid();
  },
};
