import { buildConnection } from './build-connection';
import type { Connection } from './connection';

/**
 * One page of a list as a repository returns it. Cursors are opaque strings made by the
 * repository (only it knows the storage keys inside them); services and resolvers pass them on.
 */
export interface Page<T> {
  items: T[];
  /** Where the next page starts, or null when this is the last page. */
  nextCursor: string | null;
  /** The opaque cursor of an item of this page (each edge of a connection carries one). */
  cursorOf(item: T): string;
}

/** A repository page as a Relay connection; `node` turns each stored item into what the API shows. */
export function connectionFromPage<T, N>(
  page: Page<T>,
  opts: { node: (item: T) => N; hasPreviousPage?: boolean },
): Connection<N> {
  return buildConnection(page.items, {
    hasNextPage: page.nextCursor !== null,
    hasPreviousPage: opts.hasPreviousPage ?? false,
    cursorOf: (item) => page.cursorOf(item),
    node: opts.node,
  });
}
