import type { Connection } from './connection';

export interface BuildConnectionOptions<T> {
  /** Whether more items follow this page (usually: the query returned more than `first`). */
  hasNextPage: boolean;
  /** Opaque cursor of an item, typically `encodeCursor({ ...its sort key })`. */
  cursorOf: (item: T) => string;
  /** Whether items precede this page; forward-only pagination may pass `after !== undefined`. Defaults to false. */
  hasPreviousPage?: boolean;
}

/** Cursors come from the stored items; `node` turns each into what the API shows. */
export interface PresentedConnectionOptions<T, N> extends BuildConnectionOptions<T> {
  node: (item: T) => N;
}

/** Wraps one page of items (already trimmed to the page size) into a Relay connection object. */
export function buildConnection<T>(items: T[], opts: BuildConnectionOptions<T>): Connection<T>;
export function buildConnection<T, N>(items: T[], opts: PresentedConnectionOptions<T, N>): Connection<N>;
export function buildConnection<T, N>(
  items: T[],
  opts: BuildConnectionOptions<T> & { node?: (item: T) => N },
): Connection<T | N> {
  const edges = items.map((item) => ({ cursor: opts.cursorOf(item), node: opts.node ? opts.node(item) : item }));
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
