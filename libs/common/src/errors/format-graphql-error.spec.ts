import { GraphQLError } from 'graphql';
import { RequestContext } from '../request-context/request-context';
import { ServiceUnavailableError, UnauthenticatedError } from './domain-errors';
import { createGraphQLErrorFormatter } from './format-graphql-error';
import { StoreName, StoreUnavailableError } from './store-unavailable';

/** Formats `original` as if a resolver at `path` had thrown it, inside a request with id `req-1`. */
function format(original: Error, formatter = createFormatter().formatter) {
  const error = new GraphQLError(original.message, { path: ['me'], originalError: original });
  RequestContext.tagError(error, 'req-1');
  return formatter(error.toJSON(), error);
}

function createFormatter() {
  const internal: unknown[] = [];
  const unavailable: Array<[StoreName, string | undefined]> = [];
  const formatter = createGraphQLErrorFormatter({
    reportInternal: (err) => internal.push(err),
    classifyStoreFailure: (err) => (err instanceof StoreUnavailableError ? err.store : undefined),
    reportStoreUnavailable: (store, _err, requestId) => unavailable.push([store, requestId]),
  });
  return { formatter, internal, unavailable };
}

describe('GraphQL error formatter', () => {
  it('answers a store failure SERVICE_UNAVAILABLE, retryable, with the request id, and reports the store', () => {
    const { formatter, internal, unavailable } = createFormatter();
    const out = format(
      new StoreUnavailableError('dynamodb', new Error('connect ECONNREFUSED 10.0.0.7:8000')),
      formatter,
    );
    expect(out.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: 'req-1' });
    expect(out.message).toBe('A backing service is unavailable or slow; retry shortly (request id req-1)');
    expect(out.path).toEqual(['me']);
    // Nothing about the store's address leaks; the failure is counted, not logged as a bug.
    expect(JSON.stringify(out)).not.toContain('10.0.0.7');
    expect(unavailable).toEqual([['dynamodb', 'req-1']]);
    expect(internal).toEqual([]);
  });

  it('gives the domain SERVICE_UNAVAILABLE the same shape', () => {
    const out = format(new ServiceUnavailableError());
    expect(out.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: 'req-1' });
  });

  it('keeps other domain errors as they are and masks anything unexpected', () => {
    const { formatter, internal, unavailable } = createFormatter();
    expect(format(new UnauthenticatedError('Session ended'), formatter).extensions).toEqual({
      code: 'UNAUTHENTICATED',
    });
    const masked = format(new Error('socket hang up at db-internal:27017'), formatter);
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1', retryable: false });
    expect(masked.message).not.toContain('db-internal');
    expect(internal).toHaveLength(1);
    expect(unavailable).toEqual([]);
  });
});
