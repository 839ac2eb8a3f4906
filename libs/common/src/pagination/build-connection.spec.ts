import { buildConnection } from './build-connection';
import { decodeCursor, encodeCursor } from './cursor';

interface Item {
  id: string;
  start: string;
}

const items: Item[] = [
  { id: 'a', start: '2024-01-01T10:00:00.000Z' },
  { id: 'b', start: '2024-01-01T11:00:00.000Z' },
  { id: 'c', start: '2024-01-01T12:00:00.000Z' },
];
const cursorOf = (i: Item) => encodeCursor({ start: i.start, id: i.id });

describe('buildConnection', () => {
  it('wraps items into edges with their cursors, in order', () => {
    const conn = buildConnection(items, { hasNextPage: true, cursorOf });

    expect(conn.edges.map((e) => e.node)).toEqual(items);
    expect(conn.edges.map((e) => decodeCursor<{ id: string }>(e.cursor).id)).toEqual(['a', 'b', 'c']);
  });

  it('sets start and end cursors to the first and last edge', () => {
    const conn = buildConnection(items, { hasNextPage: true, cursorOf });

    expect(conn.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: cursorOf(items[0]),
      endCursor: cursorOf(items[2]),
    });
  });

  it('passes hasNextPage and hasPreviousPage through', () => {
    const conn = buildConnection(items.slice(1), { hasNextPage: false, hasPreviousPage: true, cursorOf });

    expect(conn.pageInfo.hasNextPage).toBe(false);
    expect(conn.pageInfo.hasPreviousPage).toBe(true);
    expect(conn.pageInfo.startCursor).toBe(cursorOf(items[1]));
  });

  it('uses the same cursor for start and end on a one-item page', () => {
    const conn = buildConnection([items[0]], { hasNextPage: false, cursorOf });
    expect(conn.pageInfo.startCursor).toBe(conn.pageInfo.endCursor);
    expect(conn.pageInfo.startCursor).toBe(cursorOf(items[0]));
  });

  it('gives null cursors on an empty page', () => {
    const cursorSpy = jest.fn(cursorOf);
    const conn = buildConnection<Item>([], { hasNextPage: false, cursorOf: cursorSpy });

    expect(conn).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect(cursorSpy).not.toHaveBeenCalled();
  });
});
