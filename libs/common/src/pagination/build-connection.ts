import type { Connection } from './connection';

export interface BuildConnectionOptions<T> {
  /** Whether more items follow this page (usually: the query returned more than `first`). */
  hasNextPage: boolean;
  /** Opaque cursor of an item, typically `encodeCursor({ ...its sort key })`. */
  cursorOf: (item: T) => string;
  /** Whether items precede this page; forward-only pagination may pass `after !== undefined`. Defaults to false. */
  hasPreviousPage?: boolean;
}

/** Wraps one page of items (already trimmed to the page size) into a Relay connection object. */
export function buildConnection<T>(items: T[], opts: BuildConnectionOptions<T>): Connection<T> {
  const edges = items.map((node) => ({ cursor: opts.cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: opts.hasNextPage,
      hasPreviousPage: opts.hasPreviousPage ?? false,
      startCursor: edges.length > 0 ? edges[0].cursor : null,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
  };
}
