/**
 * The operations both servers of the overhead benchmark answer, byte for byte alike. The
 * hand-written server recognises them by operationName and ignores the query text.
 */
export type OperationName = 'SearchPage' | 'MyLessons' | 'Conversations' | 'Me';

export const OPERATIONS: Record<OperationName, { query: string; auth: boolean; paged: boolean }> = {
  // Anonymous: a public page, so its minimum is the search, the reviews and their authors.
  SearchPage: {
    auth: false,
    paged: true,
    query: `query SearchPage($first: Int!) {
  searchTeachers(first: $first) {
    edges { cursor node {
      id slug displayName headline
      offerings { durationMinutes amountMinor currency }
      ratingAverage ratingCount
      location { city country latitude longitude }
      reviews(first: 3) { edges { node { rating text createdAt student { displayName } } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  MyLessons: {
    auth: true,
    paged: true,
    query: `query MyLessons($first: Int!) {
  myLessons(as: AS_TEACHER, first: $first) {
    edges { cursor node {
      id start end status durationMinutes
      price { amountMinor currency }
      student { displayName }
      teacher { displayName }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  // Chat: the signed-in teacher's conversations with the other participant and the last message.
  Conversations: {
    auth: true,
    paged: true,
    query: `query Conversations($first: Int!) {
  conversations(first: $first) {
    edges { cursor node {
      id unreadCount lastActivityAt
      otherParticipant { displayName }
      lastMessage { seq text createdAt }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  Me: {
    auth: true,
    paged: false,
    query: `query Me { me { id displayName email roles timeZone createdAt } }`,
  },
};

/** Both servers answer every response with this header; bodies are compared byte for byte. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Messages between the benchmark and a server process (over the fork IPC channel). */
/** `collect: true` runs a full garbage collection first (the servers run with --expose-gc). */
export type ToServer = { type: 'stats'; id: number; collect?: boolean } | { type: 'stop' };
export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'stats'; id: number; stats: ServerStats }
  | { type: 'failed'; error: string };

export interface ServerStats {
  /** process.cpuUsage() of the server process, user + system, microseconds. */
  cpuMicros: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Peak resident set size of the process so far. */
  maxRssBytes: number;
  /** Calls to each store so far, by `store:operation`. */
  storeCalls: Record<string, number>;
}
