import {
  createAccount,
  createTeacher,
  startAnotherInstance,
  startTestApp,
  subscribe,
  Subscription,
  TestAccount,
  TestApp,
} from '@app/testing';
import { codeOf, extensionsOf, MARK_READ, MESSAGES, send, sendRaw, SentMessage } from './chat-support';

const PRESENCE_CONFIG = {
  AUTH_RATE_LIMIT_PER_IP: '1000',
  CHAT_SEND_RATE_LIMIT: '1000',
  // Short presence timings so the test waits seconds, not minutes.
  PRESENCE_HEARTBEAT_SECONDS: '1',
  PRESENCE_TTL_SECONDS: '6',
  PRESENCE_GRACE_SECONDS: '1',
  PRESENCE_SWEEP_SECONDS: '1',
};

const MESSAGE_EVENTS = `subscription { messageEvents { type conversationId unreadCount readerId lastReadSeq lastReadMessageId
  message { id seq senderId text cursor } } }`;
const PRESENCE = 'subscription { presenceChanged { userId status lastSeenAt } }';
const TYPING = (conversationId: string) =>
  `subscription { typing(conversationId: "${conversationId}") { conversationId userId typing expiresAt } }`;
const SET_TYPING = 'mutation($id: ID!, $typing: Boolean) { setTyping(conversationId: $id, typing: $typing) }';

interface MessageEvent {
  messageEvents: {
    type: 'ADDED' | 'EDITED' | 'DELETED' | 'READ';
    conversationId: string;
    unreadCount: number;
    readerId: string | null;
    lastReadSeq: number | null;
    message: { id: string; seq: number; senderId: string; text: string; cursor: string } | null;
  };
}
interface PresenceEvent {
  presenceChanged: { userId: string; status: 'ONLINE' | 'AWAY' | 'OFFLINE'; lastSeenAt: string | null };
}

/** Waits (bounded) until an event matching `match` has arrived; returns it. */
async function eventually<T>(sub: Subscription<T>, match: (e: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = sub.events.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms; got ${JSON.stringify(sub.events)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const added = (sub: Subscription<MessageEvent>, conversationId?: string) =>
  sub.events
    .map((e) => e.messageEvents)
    .filter((e) => e.type === 'ADDED' && (!conversationId || e.conversationId === conversationId));
const presenceOf = (sub: Subscription<PresenceEvent>, userId: string) =>
  sub.events.map((e) => e.presenceChanged).filter((p) => p.userId === userId);

/**
 * Two server instances on one Redis (and one MongoDB): A is connected to instance 1, B to
 * instance 2, with real graphql-ws clients. Everything crosses between them; a third user hears
 * nothing of it.
 */
describe('chat in real time across two instances', () => {
  let one: TestApp;
  let two: TestApp;
  let twoStopped = false;
  let a: TestAccount; // student, on instance 1
  let b: TestAccount; // teacher, on instance 2
  let c: TestAccount; // a third user, on instance 1
  let conversationId: string;
  const open: Array<Subscription<unknown>> = [];
  const sub = async <T>(app: TestApp, query: string, who: TestAccount) => {
    const s = await subscribe<T>(app.baseUrl, query, who.accessToken);
    open.push(s);
    return s;
  };

  let aEvents: Subscription<MessageEvent>;
  let aPresence: Subscription<PresenceEvent>;
  let bEvents: Subscription<MessageEvent>;

  beforeAll(async () => {
    one = await startTestApp({ config: PRESENCE_CONFIG });
    two = await startAnotherInstance(one, { clock: one.clock, config: PRESENCE_CONFIG });
    [a, b, c] = await Promise.all([createAccount(one, 'STUDENT'), createTeacher(one), createAccount(one, 'STUDENT')]);
    conversationId = (await send(a, { toUserId: b.id, text: 'Hello, I would like lessons' })).conversationId;
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    if (!twoStopped) await two?.close();
    await one?.close();
  });

  it('messages, typing and presence cross between instances, in order; a third user hears nothing', async () => {
    aEvents = await sub<MessageEvent>(one, MESSAGE_EVENTS, a);
    aPresence = await sub<PresenceEvent>(one, PRESENCE, a);
    const aTyping = await sub<{ typing: Record<string, unknown> }>(one, TYPING(conversationId), a);
    const cEvents = await sub<MessageEvent>(one, MESSAGE_EVENTS, c);
    const cPresence = await sub<PresenceEvent>(one, PRESENCE, c);
    const cTyping = await sub(one, TYPING(conversationId), c);
    expect((await cTyping.failed)[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'conversationId' });

    // B connects to instance 2: A (instance 1) sees B come online.
    bEvents = await sub<MessageEvent>(two, MESSAGE_EVENTS, b);
    await eventually(aPresence, (e) => e.presenceChanged.userId === b.id, "B's presence");
    expect(presenceOf(aPresence, b.id)).toEqual([{ userId: b.id, status: 'ONLINE', lastSeenAt: expect.any(String) }]);

    // B writes through instance 2, one after the other: A receives them in order, with its unread count.
    const gql2 = two.gql.as(b.accessToken);
    const fromB: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const { sendMessage } = await gql2.ok(
        `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }`,
        { input: { conversationId, clientMessageId: `b-${i}-${Date.now()}`, text: `answer ${i}` } },
      );
      fromB.push(sendMessage.id);
    }
    await eventually(aEvents, (e) => e.messageEvents.message?.id === fromB[4], 'the fifth message');
    expect(added(aEvents).map((e) => [e.message!.id, e.message!.seq, e.unreadCount])).toEqual(
      fromB.map((id, i) => [id, i + 2, i + 1]),
    );

    // Typing crosses too, to the other participant only (B's own indicator is not echoed to B).
    const bTyping = await sub<{ typing: Record<string, unknown> }>(two, TYPING(conversationId), b);
    await gql2.ok(SET_TYPING, { id: conversationId });
    await gql2.ok(SET_TYPING, { id: conversationId }); // a repeat inside 2 s is dropped
    await gql2.ok(SET_TYPING, { id: conversationId, typing: false });
    await eventually(aTyping, (e) => e.typing.typing === false, 'typing stopped');
    expect(aTyping.events.map((e) => [e.typing.userId, e.typing.typing])).toEqual([
      [b.id, true],
      [b.id, false],
    ]);

    // A answers through instance 1; B hears it on instance 2.
    const fromA = await send(a, { conversationId, text: 'Great, Tuesday?' });
    await eventually(bEvents, (e) => e.messageEvents.message?.id === fromA.id, "A's answer on instance 2");
    expect(bTyping.events).toEqual([]);

    // The third user: after all that, the first thing it hears is its own message, and the first
    // presence change the one of someone it talks to.
    const d = await createTeacher(one);
    const own = await send(c, { toUserId: d.id, text: 'sentinel' });
    await eventually(cEvents, (e) => e.messageEvents.message?.id === own.id, 'the sentinel message');
    expect(cEvents.events.map((e) => e.messageEvents.message?.id)).toEqual([own.id]);
    const dSocket = await sub(two, MESSAGE_EVENTS, d);
    await eventually(cPresence, (e) => e.presenceChanged.userId === d.id, "D's presence");
    expect(cPresence.events.map((e) => e.presenceChanged.userId)).toEqual([d.id]);
    await dSocket.close();
  });

  it('20 concurrent sends from both sides come back in one consistent order to both', async () => {
    const before = added(aEvents, conversationId).length;
    const sends = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 ? send(a, { conversationId, text: `a${i}` }) : send(b, { conversationId, text: `b${i}` }),
      ),
    );
    const ids = new Set(sends.map((m) => m.id));
    await eventually(aEvents, () => added(aEvents, conversationId).length >= before + 20, '20 events at A');
    await eventually(bEvents, () => added(bEvents, conversationId).length >= before + 20, '20 events at B');
    const order = (s: Subscription<MessageEvent>) =>
      added(s, conversationId)
        .filter((e) => ids.has(e.message!.id))
        .map((e) => [e.message!.seq, e.message!.id] as const)
        .sort((x, y) => x[0] - y[0]);
    const atA = order(aEvents);
    // Each message once, at one position, the same on both sides and in the stored history.
    expect(atA).toHaveLength(20);
    expect(order(bEvents)).toEqual(atA);
    const first = atA[0][0];
    expect(atA.map(([seq]) => seq)).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
    expect(new Map(sends.map((m) => [m.id, m.seq]))).toEqual(new Map(atA.map(([seq, id]) => [id, seq])));
    const stored = (await a.gql.ok(MESSAGES, { id: conversationId, last: 20 })).messages.edges.map(
      (e: { node: SentMessage }) => [e.node.seq, e.node.id],
    );
    expect(stored).toEqual(atA);
  });

  it('reports unread counts and read receipts to both sides', async () => {
    const unread = async () =>
      (await a.gql.ok(`query($id: ID!) { conversation(id: $id) { unreadCount } }`, { id: conversationId })).conversation
        .unreadCount;
    // A has read nothing: B's 5 + 10 messages are unread (A's own never count).
    expect(await unread()).toBe(15);
    expect((await a.gql.ok('{ me { unreadMessageCount } }')).me.unreadMessageCount).toBe(15);
    const read = (await a.gql.ok(MARK_READ, { id: conversationId })).markConversationRead;
    expect(read.unreadCount).toBe(0);
    const receiptAtB = await eventually(bEvents, (e) => e.messageEvents.type === 'READ', 'the read receipt at B');
    expect(receiptAtB.messageEvents).toMatchObject({ readerId: a.id, lastReadMessageId: read.lastReadMessageId });
    const receiptAtA = await eventually(aEvents, (e) => e.messageEvents.type === 'READ', 'the read event at A');
    expect(receiptAtA.messageEvents).toMatchObject({ readerId: a.id, unreadCount: 0 });
    expect(
      (await b.gql.ok(`query($id: ID!) { conversation(id: $id) { otherLastReadSeq } }`, { id: conversationId }))
        .conversation.otherLastReadSeq,
    ).toBe(receiptAtB.messageEvents.lastReadSeq);
    const next = await send(b, { conversationId, text: 'one more' });
    const live = await eventually(aEvents, (e) => e.messageEvents.message?.id === next.id, 'the next message');
    expect(live.messageEvents.unreadCount).toBe(1);
    expect(await unread()).toBe(1);
  });

  it('stopping instance 2 makes B offline for A; B reconnecting catches up with no gap and no duplicate', async () => {
    const seenByB = added(bEvents, conversationId).map((e) => e.message!);
    const newest = seenByB.reduce((x, y) => (y.seq > x.seq ? y : x));
    const stoppedAt = Date.now();
    twoStopped = true;
    await two.close();
    const offline = await eventually(
      aPresence,
      (e) => e.presenceChanged.userId === b.id && e.presenceChanged.status === 'OFFLINE',
      'B offline',
    );
    expect(Date.parse(offline.presenceChanged.lastSeenAt!)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(offline.presenceChanged.lastSeenAt!)).toBeGreaterThan(stoppedAt - 10_000);

    const missed = [];
    for (let i = 0; i < 3; i++) missed.push(await send(a, { conversationId, text: `while you were away ${i}` }));
    // B comes back (to instance 1): live first, then the catch-up from its newest message.
    const back = await sub<MessageEvent>(one, MESSAGE_EVENTS, b);
    await eventually(
      aPresence,
      (e) => e.presenceChanged.userId === b.id && presenceOf(aPresence, b.id).length >= 3,
      'B online again',
    );
    expect(presenceOf(aPresence, b.id).map((p) => p.status)).toEqual(['ONLINE', 'OFFLINE', 'ONLINE']);
    const live = await send(a, { conversationId, text: 'live again' });
    await eventually(back, (e) => e.messageEvents.message?.id === live.id, 'the live message');

    const caughtUp: Array<{ id: string; seq: number }> = [];
    let after = newest.cursor;
    for (let page = 0; page < 10; page++) {
      const { messages } = await b.gql.ok(MESSAGES, { id: conversationId, first: 2, after });
      caughtUp.push(...messages.edges.map((e: { node: SentMessage }) => ({ id: e.node.id, seq: e.node.seq })));
      if (!messages.pageInfo.hasNextPage) break;
      after = messages.pageInfo.endCursor;
    }
    expect(caughtUp).toEqual([...missed, live].map((m) => ({ id: m.id, seq: m.seq })));
    const everything = [...seenByB.map((m) => m.seq), ...caughtUp.map((m) => m.seq)].sort((x, y) => x - y);
    expect(everything).toEqual(Array.from({ length: everything.length }, (_, i) => everything[0] + i));
    await back.close();
  });

  it('a block stops delivery and presence both ways', async () => {
    const [x, y] = await Promise.all([createAccount(one, 'STUDENT'), createTeacher(one)]);
    const conversation = (await send(x, { toUserId: y.id, text: 'hi' })).conversationId;
    const xPresence = await sub<PresenceEvent>(one, PRESENCE, x);
    const yPresence = await sub<PresenceEvent>(one, PRESENCE, y);
    const yEvents = await sub<MessageEvent>(one, MESSAGE_EVENTS, y);
    await eventually(xPresence, (e) => e.presenceChanged.userId === y.id, 'y online for x');

    await x.gql.ok('mutation($id: ID!) { blockUser(userId: $id) }', { id: y.id });
    for (const [from, to] of [
      [x, y],
      [y, x],
    ] as const) {
      const res = await sendRaw(from, { toUserId: to.id, text: 'anyone?' });
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(extensionsOf(res).reason).toBe('BLOCKED');
      expect(codeOf(await from.gql.request(SET_TYPING, { id: conversation }))).toBe('FORBIDDEN');
    }
    // Presence no longer flows either way: x and y come and go; each hears only its sentinel.
    const [sx, sy] = await Promise.all([createTeacher(one), createTeacher(one)]);
    await send(x, { toUserId: sx.id, text: 'sentinel for x' });
    await send(y, { toUserId: sy.id, text: 'sentinel for y' }).catch(() => undefined);
    await send(sy, { toUserId: y.id, text: 'sentinel for y' });
    const xBefore = xPresence.events.length;
    const ySocket = await sub(one, MESSAGE_EVENTS, y); // y's sockets change nothing for x
    await xPresence.close();
    const xAgain = await sub<PresenceEvent>(one, PRESENCE, x);
    await ySocket.close();
    const sxSocket = await sub(one, MESSAGE_EVENTS, sx);
    const sySocket = await sub(one, MESSAGE_EVENTS, sy);
    await eventually(xAgain, (e) => e.presenceChanged.userId === sx.id, "x's sentinel");
    await eventually(yPresence, (e) => e.presenceChanged.userId === sy.id, "y's sentinel");
    expect(xAgain.events.map((e) => e.presenceChanged.userId)).toEqual([sx.id]);
    expect(xPresence.events.slice(xBefore)).toEqual([]);
    expect(yPresence.events.map((e) => e.presenceChanged.userId).filter((id) => id === x.id)).toEqual([]);
    // Nothing of the blocked conversation reached y.
    expect(yEvents.events.filter((e) => e.messageEvents.conversationId === conversation)).toEqual([]);
    await Promise.all([sxSocket.close(), sySocket.close()]);
  });
});
