import { ulid } from 'ulid';
import type { GraphQLResponse, TestAccount } from '@app/testing';

export const MESSAGE_FIELDS = `id conversationId seq senderId clientMessageId text lessonId automatic createdAt editedAt deletedAt deleted editableUntil cursor`;

export const SEND = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE_FIELDS} } }`;
export const EDIT = `mutation Edit($id: ID!, $text: String!) { editMessage(id: $id, text: $text) { ${MESSAGE_FIELDS} } }`;
export const DELETE = `mutation Delete($id: ID!) { deleteMessage(id: $id) { ${MESSAGE_FIELDS} } }`;
export const MARK_READ = `mutation Read($id: ID!, $upTo: ID) { markConversationRead(conversationId: $id, upToMessageId: $upTo) { id unreadCount lastReadMessageId otherLastReadMessageId otherLastReadSeq } }`;
export const MESSAGES = `query Messages($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  messages(conversationId: $id, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { ${MESSAGE_FIELDS} } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
export const CONVERSATIONS = `query Conversations($first: Int, $after: String) {
  conversations(first: $first, after: $after) {
    edges { node { id otherParticipantId unreadCount blocked blockedByMe lastActivityAt otherParticipant { id displayName }
      lastMessage { id text seq } presence { status lastSeenAt } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const CONVERSATION = `query Conversation($id: ID!) { conversation(id: $id) { id unreadCount blocked blockedByMe lastReadMessageId otherLastReadMessageId otherLastReadSeq presence { status } } }`;
export const UNREAD_TOTAL = `{ me { id unreadMessageCount } }`;

export interface SentMessage {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientMessageId: string | null;
  text: string;
  cursor: string;
  deleted: boolean;
  [key: string]: any;
}

/** Sends a message as `from` (a fresh clientMessageId unless given) and fails the test on errors. */
export async function send(
  from: TestAccount,
  input: {
    toUserId?: string;
    conversationId?: string;
    text?: string;
    clientMessageId?: string;
    lessonId?: string;
    attachmentIds?: string[];
  },
): Promise<SentMessage> {
  const data = await from.gql.ok<{ sendMessage: SentMessage }>(SEND, {
    input: { clientMessageId: ulid(), ...input },
  });
  return data.sendMessage;
}

export function sendRaw(from: TestAccount, input: Record<string, unknown>): Promise<GraphQLResponse> {
  return from.gql.request(SEND, { input: { clientMessageId: ulid(), ...input } });
}

/** Every message of a conversation, oldest first, paging backwards from the newest. */
export async function history(account: TestAccount, conversationId: string, pageSize = 7): Promise<SentMessage[]> {
  const all: SentMessage[] = [];
  let before: string | undefined;
  for (let page = 0; page < 100; page++) {
    const { messages } = await account.gql.ok(MESSAGES, { id: conversationId, last: pageSize, before });
    all.unshift(...messages.edges.map((e: { node: SentMessage }) => e.node));
    if (!messages.pageInfo.hasPreviousPage) return all;
    before = messages.pageInfo.startCursor;
  }
  throw new Error('history did not end');
}

export const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
export const extensionsOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions ?? {};
