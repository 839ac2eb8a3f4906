import { createAccount, createTeacher, settle, startTestApp, TestAccount, TestApp } from '@app/testing';
import { send } from './chat-support';
import { upload } from './media-support';

const PAGE = `query($first: Int!) {
  conversations(first: $first) {
    edges { node { id unreadCount blocked otherParticipant { id displayName presence { status } }
      lastMessage { id text seq sender { displayName } } presence { status lastSeenAt } } }
  }
}`;

/**
 * A page of conversations costs a constant number of store calls however many it holds: the
 * other participants (DynamoDB) and the last messages (MongoDB) come through per-request
 * loaders, one batch each; presence is one Redis round trip (not a store call of these metrics).
 */
describe('store calls of chat pages', () => {
  let t: TestApp;
  let teacher: TestAccount;
  const students: TestAccount[] = [];

  beforeAll(async () => {
    // No background jobs during the measurements: their polls would add store calls.
    t = await startTestApp({
      config: { AUTH_RATE_LIMIT_PER_IP: '1000', CHAT_SEND_RATE_LIMIT: '1000', JOBS_ENABLED: 'false' },
    });
    teacher = await createTeacher(t);
    for (let i = 0; i < 25; i++) {
      const student = await createAccount(t, 'STUDENT', { displayName: `Student number ${i}` });
      const first = await send(student, { toUserId: teacher.id, text: `hello from ${i}` });
      // Every other conversation ends with the teacher's answer: the senders of a page differ.
      if (i % 2) await send(teacher, { conversationId: first.conversationId, text: `answer to ${i}` });
      students.push(student);
    }
    // Sign-up mails and message events leave through the outbox and kicked jobs: let them finish.
    await settle(t);
  }, 180_000);
  afterAll(async () => t?.close());

  /** Calls per `store:operation`; prom-client hands out live objects, so the numbers are copied. */
  const snapshot = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await t.metrics.storeCalls.get()).values.map((v) => [
        `${v.labels.store}:${v.labels.operation}`,
        Number(v.value),
      ]),
    );
  const callsOf = async (query: () => Promise<any>) => {
    const before = await snapshot();
    const data = await query();
    const after = await snapshot();
    const delta: Record<string, number> = {};
    for (const [key, value] of Object.entries(after))
      if (value !== (before[key] ?? 0)) delta[key] = value - (before[key] ?? 0);
    return { data, delta };
  };
  const measure = async (first: number) => {
    const { data, delta } = await callsOf(() => teacher.gql.ok(PAGE, { first }));
    return { edges: data.conversations.edges as Array<{ node: Record<string, any> }>, delta };
  };
  const EXPECTED = {
    // the guard's batch (the viewer and their session), then the other participants of the page
    'dynamodb:BatchGetItem': 2,
    // the page of conversations, then their last messages
    'mongodb:find': 2,
  };

  it('20 conversations with their participants, presence and last messages: 2 BatchGetItem and 2 finds, nothing else', async () => {
    const { edges, delta } = await measure(20);
    expect(edges).toHaveLength(20);
    // Newest activity first; every node fully resolved.
    const names = edges.map((e) => e.node.otherParticipant.displayName);
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `Student number ${24 - i}`));
    expect(edges.map((e) => e.node.lastMessage.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => ((24 - i) % 2 ? `answer to ${24 - i}` : `hello from ${24 - i}`)),
    );
    const teacherName = (await teacher.gql.ok('{ me { displayName } }')).me.displayName;
    expect(edges.map((e) => e.node.lastMessage.sender.displayName)).toEqual(
      Array.from({ length: 20 }, (_, i) => ((24 - i) % 2 ? teacherName : `Student number ${24 - i}`)),
    );
    expect(edges.every((e) => e.node.presence.status === 'OFFLINE')).toBe(true);
    expect(edges.every((e) => e.node.otherParticipant.presence.status === 'OFFLINE')).toBe(true);
    expect(delta).toEqual(EXPECTED);
  });

  it('a page of 5 costs exactly the same: the count is constant, not per conversation', async () => {
    const { edges, delta } = await measure(5);
    expect(edges).toHaveLength(5);
    expect(delta).toEqual(EXPECTED);
  });

  it('a window of messages with files costs one media find however many files it shows', async () => {
    const student = students[0];
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    let conversationId = '';
    for (let i = 0; i < 12; i++) {
      const files = [];
      for (let f = 0; f < 2; f++)
        files.push((await upload(student.gql, 'CHAT_ATTACHMENT', 'application/pdf', pdf)).media!.id);
      conversationId = (await send(student, { toUserId: teacher.id, text: `files ${i}`, attachmentIds: files }))
        .conversationId;
    }
    await settle(t);
    const WINDOW = `query($id: ID!, $last: Int!) { messages(conversationId: $id, last: $last) {
      edges { node { id text attachments { id fileName url } sender { displayName } } } } }`;
    const window = (last: number) => callsOf(() => teacher.gql.ok(WINDOW, { id: conversationId, last }));
    const twelve = await window(12);
    const shown = twelve.data.messages.edges.flatMap((e: any) => e.node.attachments);
    expect(shown).toHaveLength(24);
    expect(shown.every((a: { url: string }) => a.url.startsWith('http'))).toBe(true);
    const three = await window(3);
    expect(three.data.messages.edges.flatMap((e: any) => e.node.attachments)).toHaveLength(6);
    expect(twelve.delta).toEqual(three.delta);
    // the guard's batch, then the senders; the conversation, the window, then every file in one find
    expect(twelve.delta).toEqual({ 'dynamodb:BatchGetItem': 2, 'mongodb:find': 3 });
  });
});
