import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ulid } from 'ulid';
import {
  createAccount,
  createTeacher,
  hoursFromNow,
  REQUEST_LESSON,
  startTestApp,
  TestAccount,
  TestApp,
} from '@app/testing';
import { LessonQueriesService } from '../src/bookings/lesson-queries.service';
import { MessagesService } from '../src/chat/messages.service';
import type { DomainEvent } from '../src/events/domain-events';
import { OutboxConsumers } from '../src/events/outbox-consumers';
import { OutboxRelay } from '../src/events/outbox-relay.service';
import { LoaderFactory } from '../src/graphql/request-loaders';
import { UsersService } from '../src/users/users.service';
import { completeProfile, teacherWithProfile } from './teachers-support';
import {
  codeOf,
  CONVERSATION,
  CONVERSATIONS,
  DELETE,
  EDIT,
  extensionsOf,
  history,
  MESSAGE_FIELDS,
  MESSAGES,
  send,
  sendRaw,
  SentMessage,
} from './chat-support';

const SEND_LIMIT = 40;

/** Stands in for the notifications feature: what a durable consumer of `message.sent` receives. */
const sentEvents: Array<DomainEvent<'message.sent'>> = [];
@Injectable()
class MessageSentProbe implements OnModuleInit {
  constructor(private readonly consumers: OutboxConsumers) {}
  onModuleInit(): void {
    this.consumers.register('test.message-sent', ['message.sent'], async (event: DomainEvent<'message.sent'>) => {
      sentEvents.push(event);
    });
  }
}
@Module({ providers: [MessageSentProbe] })
class MessageSentProbeModule {}

describe('chat: conversations and messages', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let student: TestAccount;
  let admin: TestAccount;
  let mongo: Connection;

  beforeAll(async () => {
    t = await startTestApp({
      imports: [MessageSentProbeModule],
      config: {
        AUTH_RATE_LIMIT_PER_IP: '1000',
        CHAT_SEND_RATE_LIMIT: String(SEND_LIMIT),
        CHAT_SEND_RATE_WINDOW_SECONDS: '600',
      },
    });
    mongo = t.app.get<Connection>(getConnectionToken());
    [teacher, student, admin] = await Promise.all([
      createTeacher(t),
      createAccount(t, 'STUDENT'),
      createAccount(t, 'ADMIN'),
    ]);
  });
  afterAll(async () => t?.close());

  let slot = 30;
  const requestLesson = async (from: TestAccount, teacherId: string) =>
    (
      await from.gql.ok(REQUEST_LESSON, {
        input: { teacherId, start: hoursFromNow(slot++ * 2).toISOString(), durationMinutes: 30, format: 'ONLINE' },
      })
    ).requestLesson as { id: string; status: string };
  const stored = (collection: string, filter: Record<string, unknown>) =>
    mongo.collection(collection).countDocuments(filter);

  describe('who may write to whom', () => {
    it('a student starts a conversation with a published teacher; the text comes back exactly as written', async () => {
      const text = '  <b>Hallo</b> & "Grüße" 🎹\n<script>alert(1)</script>  ';
      const first = await send(student, { toUserId: teacher.id, text });
      expect(first).toMatchObject({ seq: 1, senderId: student.id, text, deleted: false, lessonId: null });
      expect(first.clientMessageId).toEqual(expect.any(String));

      // The teacher answers in the same conversation, found by id or by the student's id.
      const reply = await send(teacher, { toUserId: student.id, text: 'Hi!' });
      expect(reply).toMatchObject({ conversationId: first.conversationId, seq: 2 });
      const byId = await send(teacher, { conversationId: first.conversationId, text: 'When?' });
      expect(byId.seq).toBe(3);

      const { conversations } = await teacher.gql.ok(CONVERSATIONS);
      expect(conversations.edges).toHaveLength(1);
      expect(conversations.edges[0].node).toMatchObject({
        id: first.conversationId,
        otherParticipantId: student.id,
        otherParticipant: { id: student.id },
        unreadCount: 1,
        lastMessage: { id: byId.id, text: 'When?', seq: 3 },
        blocked: false,
      });
      // The sender sees its clientMessageId, the recipient does not.
      const seen = await history(teacher, first.conversationId);
      expect(seen.map((m) => [m.seq, m.clientMessageId === null])).toEqual([
        [1, true],
        [2, false],
        [3, false],
      ]);
      expect(seen[0].text).toBe(text);
    });

    it('counts characters, not UTF-16 units: 4,000 emoji fit, 4,001 characters do not', async () => {
      const other = await createAccount(t, 'STUDENT');
      const full = await send(other, { toUserId: teacher.id, text: '🎵'.repeat(4000) });
      expect([...full.text]).toHaveLength(4000);
      const res = await sendRaw(other, { toUserId: teacher.id, text: 'x'.repeat(4001) });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(extensionsOf(res).fields).toEqual([{ field: 'input.text', message: expect.stringContaining('4,000') }]);
    });

    it('a teacher may write only to people they have a lesson with (in any state)', async () => {
      const [teacher2, learner] = await Promise.all([createTeacher(t), createAccount(t, 'STUDENT')]);
      const refused = await sendRaw(teacher2, { toUserId: learner.id, text: 'Want lessons?' });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(extensionsOf(refused)).toMatchObject({ field: 'input.toUserId', reason: 'NOT_ALLOWED' });
      expect(await stored('chat_conversations', { participantIds: learner.id })).toBe(0);

      const lesson = await requestLesson(learner, teacher2.id);
      await teacher2.gql.ok('mutation($id: ID!) { declineLesson(id: $id) { id } }', { id: lesson.id });
      // Declined, still a lesson: the rule of bookings (asked through its service) allows it.
      const lessons = t.app.get(LessonQueriesService);
      expect(await lessons.haveLessonTogether(teacher2.id, learner.id)).toBe(true);
      expect(await lessons.haveLessonTogether(teacher.id, learner.id)).toBe(false);
      const allowed = await send(teacher2, { toUserId: learner.id, text: 'Sorry, that week is full' });
      expect(allowed.senderId).toBe(teacher2.id);
    });

    it('an account whose e-mail address is not confirmed yet may not write; once confirmed it may', async () => {
      const fresh = await createAccount(t, 'STUDENT', {}, {}, { verified: false });
      const refused = await sendRaw(fresh, { toUserId: teacher.id, text: 'hello' });
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0].message).toMatch(/Confirm your e-mail address/);
      expect(await stored('chat_conversations', { participantIds: fresh.id })).toBe(0);

      await t.app.get(UsersService).update(fresh.id, { emailVerified: true });
      expect((await send(fresh, { toUserId: teacher.id, text: 'hello' })).senderId).toBe(fresh.id);
    });

    it('a student may not start a conversation with another student or an unpublished teacher', async () => {
      const [a, b] = await Promise.all([createAccount(t, 'STUDENT'), createAccount(t, 'STUDENT')]);
      const hidden = await teacherWithProfile(t, completeProfile(), { publish: false });
      for (const to of [b.id, hidden.id]) {
        const res = await sendRaw(a, { toUserId: to, text: 'hello' });
        expect(codeOf(res)).toBe('FORBIDDEN');
        expect(extensionsOf(res)).toMatchObject({ field: 'input.toUserId', reason: 'NOT_ALLOWED' });
      }
    });
  });

  describe('bad input', () => {
    it('is refused naming the field, and nothing is stored', async () => {
      const [sender, recipient] = await Promise.all([createAccount(t, 'STUDENT'), createTeacher(t)]);
      const othersConversation = (await send(student, { toUserId: teacher.id, text: 'mine' })).conversationId;
      const foreignLesson = await requestLesson(student, teacher.id);
      const cases: Array<[Record<string, unknown>, string, string, Record<string, unknown>?]> = [
        [{ toUserId: recipient.id, text: '' }, 'BAD_USER_INPUT', 'input.text'],
        [{ toUserId: recipient.id, text: ' \n\t ' }, 'BAD_USER_INPUT', 'input.text'],
        [{ toUserId: recipient.id }, 'BAD_USER_INPUT', 'input.text'],
        [{ toUserId: recipient.id, text: 'y'.repeat(4001) }, 'BAD_USER_INPUT', 'input.text'],
        [{ toUserId: sender.id, text: 'me' }, 'BAD_USER_INPUT', 'input.toUserId'],
        [{ text: 'nobody' }, 'BAD_USER_INPUT', 'input.toUserId'],
        [
          { toUserId: recipient.id, conversationId: othersConversation, text: 'both' },
          'BAD_USER_INPUT',
          'input.toUserId',
        ],
        [{ toUserId: 'not a valid id!', text: 'x' }, 'BAD_USER_INPUT', 'input.toUserId'],
        [
          { toUserId: recipient.id, text: 'x', clientMessageId: 'has spaces in it' },
          'BAD_USER_INPUT',
          'input.clientMessageId',
        ],
        [{ toUserId: ulid(), text: 'ghost' }, 'NOT_FOUND', 'input.toUserId'],
        [
          { conversationId: othersConversation, text: 'intruder' },
          'FORBIDDEN',
          'input.conversationId',
          { reason: 'NOT_A_PARTICIPANT' },
        ],
        [{ conversationId: ulid(), text: 'nowhere' }, 'NOT_FOUND', 'input.conversationId'],
        [{ toUserId: recipient.id, text: 'card', lessonId: foreignLesson.id }, 'BAD_USER_INPUT', 'input.lessonId'],
      ];
      for (const [input, code, field, more] of cases) {
        const res = await sendRaw(sender, input);
        expect({ input, code: codeOf(res) }).toEqual({ input, code });
        const ext = extensionsOf(res);
        const named = code === 'BAD_USER_INPUT' ? ext.fields.map((f: { field: string }) => f.field) : [ext.field];
        expect({ input, named }).toEqual({ input, named: expect.arrayContaining([field]) });
        if (more) expect(ext).toMatchObject(more);
        expect(res.data ?? null).toBeNull();
      }
      expect(await stored('chat_conversations', { participantIds: sender.id })).toBe(0);
      expect(await stored('chat_messages', { senderId: sender.id })).toBe(0);
      expect((await sender.gql.ok(CONVERSATIONS)).conversations.edges).toEqual([]);
      expect((await recipient.gql.ok('{ me { unreadMessageCount } }')).me.unreadMessageCount).toBe(0);
    });

    it('refuses cursors that are not of this conversation, and foreign conversations, naming the argument', async () => {
      const a = await send(student, { toUserId: teacher.id, text: 'cursor here' });
      const other = await createAccount(t, 'STUDENT');
      const b = await send(other, { toUserId: teacher.id, text: 'another conversation' });
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ id: a.conversationId, first: 5, after: 'garbage!' }, 'BAD_USER_INPUT', 'after'],
        [{ id: a.conversationId, first: 5, after: b.cursor }, 'BAD_USER_INPUT', 'after'],
        [{ id: a.conversationId, last: 5, before: 'AAAA' }, 'BAD_USER_INPUT', 'before'],
        [{ id: a.conversationId, first: 5, last: 5 }, 'BAD_USER_INPUT', 'last'],
        [{ id: a.conversationId, first: 500 }, 'BAD_USER_INPUT', 'first'],
        [{ id: b.conversationId, last: 5 }, 'FORBIDDEN', 'conversationId'],
      ];
      for (const [variables, code, field] of cases) {
        const res = await student.gql.request(MESSAGES, variables);
        expect({ variables, code: codeOf(res) }).toEqual({ variables, code });
        const ext = extensionsOf(res);
        const named = code === 'BAD_USER_INPUT' ? ext.fields.map((f: { field: string }) => f.field) : [ext.field];
        expect(named).toContain(field);
      }
    });
  });

  describe('idempotent send', () => {
    it('a retry with the same client message id returns the stored message; another text with it is CONFLICT', async () => {
      const sender = await createAccount(t, 'STUDENT');
      const clientMessageId = `retry-${ulid()}`;
      const first = await send(sender, { toUserId: teacher.id, text: 'once', clientMessageId });
      const again = await send(sender, { toUserId: teacher.id, text: 'once', clientMessageId });
      expect(again).toEqual(first);
      const byConversation = await send(sender, {
        conversationId: first.conversationId,
        text: 'once',
        clientMessageId,
      });
      expect(byConversation.id).toBe(first.id);
      const reused = await sendRaw(sender, { toUserId: teacher.id, text: 'something else', clientMessageId });
      expect(codeOf(reused)).toBe('CONFLICT');
      expect(extensionsOf(reused).field).toBe('input.clientMessageId');
      expect(await stored('chat_messages', { senderId: sender.id })).toBe(1);
    });

    it('concurrent retries of one send store one message, and positions stay contiguous', async () => {
      const sender = await createAccount(t, 'STUDENT');
      const warmUp = await send(sender, { toUserId: teacher.id, text: 'first' });
      const clientMessageId = `race-${ulid()}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          send(sender, { conversationId: warmUp.conversationId, text: 'raced', clientMessageId }),
        ),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(results[0].seq).toBe(2);
      const next = await send(sender, { conversationId: warmUp.conversationId, text: 'after' });
      expect(next.seq).toBe(3);
      expect((await history(sender, warmUp.conversationId)).map((m) => [m.seq, m.text])).toEqual([
        [1, 'first'],
        [2, 'raced'],
        [3, 'after'],
      ]);
      // The teacher's unread count counts each message once.
      const { conversation } = await teacher.gql.ok(CONVERSATION, { id: warmUp.conversationId });
      expect(conversation.unreadCount).toBe(3);
    });
  });

  describe('edit and delete', () => {
    it('the author edits and deletes within 15 minutes; a deleted message keeps its place as a tombstone', async () => {
      const author = await createAccount(t, 'STUDENT');
      const [m1, m2, m3] = [
        await send(author, { toUserId: teacher.id, text: 'one' }),
        await send(author, { toUserId: teacher.id, text: 'two' }),
        await send(author, { toUserId: teacher.id, text: 'three' }),
      ];
      const edited = (await author.gql.ok(EDIT, { id: m2.id, text: 'two, edited' })).editMessage;
      expect(edited).toMatchObject({ id: m2.id, seq: 2, text: 'two, edited', editedAt: expect.any(String) });
      const notMine = await teacher.gql.request(EDIT, { id: m2.id, text: 'hacked' });
      expect(codeOf(notMine)).toBe('FORBIDDEN');
      expect(extensionsOf(notMine)).toMatchObject({ field: 'id', reason: 'NOT_AUTHOR' });

      const tombstone = (await author.gql.ok(DELETE, { id: m1.id })).deleteMessage;
      expect(tombstone).toMatchObject({ id: m1.id, seq: 1, text: '', deleted: true, deletedAt: expect.any(String) });
      expect(codeOf(await author.gql.request(DELETE, { id: m1.id }))).toBe('CONFLICT');
      expect(codeOf(await author.gql.request(EDIT, { id: m1.id, text: 'back' }))).toBe('CONFLICT');
      expect((await history(teacher, m1.conversationId)).map((m) => [m.seq, m.text, m.deleted])).toEqual([
        [1, '', true],
        [2, 'two, edited', false],
        [3, 'three', false],
      ]);

      t.clock.advance(15 * 60_000 + 1_000);
      try {
        for (const res of [
          await author.gql.request(EDIT, { id: m3.id, text: 'too late' }),
          await author.gql.request(DELETE, { id: m3.id }),
        ]) {
          expect(codeOf(res)).toBe('CONFLICT');
          expect(extensionsOf(res)).toMatchObject({ field: 'id', reason: 'EDIT_WINDOW_CLOSED' });
        }
      } finally {
        t.clock.reset();
      }
      expect(codeOf(await author.gql.request(EDIT, { id: m3.id, text: '' }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('paging', () => {
    it('pages both ways with stable cursors: older history, and newer since a cursor, with no gap and no duplicate', async () => {
      const a = await createAccount(t, 'STUDENT');
      const sent: SentMessage[] = [];
      for (let i = 1; i <= 25; i++)
        sent.push(
          await send(
            i % 3 ? a : teacher,
            i === 1
              ? { toUserId: teacher.id, text: `m${i}` }
              : { conversationId: sent[0].conversationId, text: `m${i}` },
          ),
        );
      const id = sent[0].conversationId;

      const newest = (await a.gql.ok(MESSAGES, { id, last: 10 })).messages;
      expect(newest.edges.map((e: any) => e.node.seq)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
      expect(newest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });

      // Older pages until the beginning, then newer pages from the first message to the end.
      expect((await history(a, id, 6)).map((m) => m.seq)).toEqual(sent.map((m) => m.seq));
      const forward: number[] = [];
      let after: string = sent[0].cursor;
      for (let page = 0; page < 10; page++) {
        const { messages } = await a.gql.ok(MESSAGES, { id, first: 7, after });
        forward.push(...messages.edges.map((e: any) => e.node.seq));
        expect(messages.edges.map((e: any) => e.cursor)).toEqual(messages.edges.map((e: any) => e.node.cursor));
        if (!messages.pageInfo.hasNextPage) break;
        after = messages.pageInfo.endCursor;
      }
      expect(forward).toEqual(sent.slice(1).map((m) => m.seq));

      // A cursor stays valid while the conversation grows: only what came after it.
      const more = await send(teacher, { conversationId: id, text: 'm26' });
      const since = (await a.gql.ok(MESSAGES, { id, first: 100, after: sent[24].cursor })).messages;
      expect(since.edges.map((e: any) => e.node.id)).toEqual([more.id]);
      expect(since.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe('read state', () => {
    it('counts unread messages per conversation and in total, and moves read positions forward only', async () => {
      const [reader, t2] = await Promise.all([createAccount(t, 'STUDENT'), createTeacher(t)]);
      const c1 = (await send(reader, { toUserId: teacher.id, text: 'to teacher 1' })).conversationId;
      const c2 = (await send(reader, { toUserId: t2.id, text: 'to teacher 2' })).conversationId;
      const fromT1 = [
        await send(teacher, { conversationId: c1, text: 'a' }),
        await send(teacher, { conversationId: c1, text: 'b' }),
        await send(teacher, { conversationId: c1, text: 'c' }),
      ];
      await send(t2, { conversationId: c2, text: 'x' });
      await send(reader, { conversationId: c1, text: 'mine does not count' });
      const unread = async () => ({
        total: (await reader.gql.ok('{ me { unreadMessageCount } }')).me.unreadMessageCount,
        c1: (await reader.gql.ok(CONVERSATION, { id: c1 })).conversation.unreadCount,
        c2: (await reader.gql.ok(CONVERSATION, { id: c2 })).conversation.unreadCount,
      });
      expect(await unread()).toEqual({ total: 4, c1: 3, c2: 1 });

      const READ = `mutation($id: ID!, $upTo: ID) { markConversationRead(conversationId: $id, upToMessageId: $upTo) { unreadCount lastReadMessageId } }`;
      const partial = (await reader.gql.ok(READ, { id: c1, upTo: fromT1[0].id })).markConversationRead;
      expect(partial).toEqual({ unreadCount: 2, lastReadMessageId: fromT1[0].id });
      expect(await unread()).toEqual({ total: 3, c1: 2, c2: 1 });
      // Never backwards.
      await reader.gql.ok(READ, { id: c1, upTo: fromT1[0].id });
      await reader.gql.ok(READ, { id: c2 });
      expect(await unread()).toEqual({ total: 2, c1: 2, c2: 0 });
      await reader.gql.ok(READ, { id: c1 });
      expect(await unread()).toEqual({ total: 0, c1: 0, c2: 0 });
      // The teacher's receipt: the reader has read up to the newest message.
      const receipt = (await teacher.gql.ok(CONVERSATION, { id: c1 })).conversation;
      expect(receipt.otherLastReadSeq).toBe(5);
      expect(codeOf(await teacher.gql.request(READ, { id: c2 }))).toBe('FORBIDDEN');
    });
  });

  describe('lesson cards', () => {
    it('a lesson request posts a card in the conversation of its teacher and student; the card shows the lesson as it is now', async () => {
      const [learner, t3] = await Promise.all([createAccount(t, 'STUDENT'), createTeacher(t)]);
      const lesson = await requestLesson(learner, t3.id);
      await t.app.get(OutboxRelay).idle();
      const LESSON = `query($id: ID!) { lesson(id: $id) { id conversation { id otherParticipantId unreadCount } } }`;
      const { conversation } = (await t3.gql.ok(LESSON, { id: lesson.id })).lesson;
      expect(conversation).toMatchObject({ otherParticipantId: learner.id, unreadCount: 1 });
      const CARD = `query($id: ID!) { messages(conversationId: $id) { edges { node { ${MESSAGE_FIELDS} sender { id } lesson { id status start } } } } }`;
      const cards = async () => (await t3.gql.ok(CARD, { id: conversation.id })).messages.edges.map((e: any) => e.node);
      expect(await cards()).toEqual([
        expect.objectContaining({
          automatic: true,
          lessonId: lesson.id,
          sender: { id: learner.id },
          lesson: expect.objectContaining({ status: 'PENDING' }),
        }),
      ]);
      await t3.gql.ok('mutation($id: ID!) { confirmLesson(id: $id) { id } }', { id: lesson.id });
      expect((await cards())[0].lesson.status).toBe('CONFIRMED');
      // A delivery repeated by the outbox (at least once) posts nothing more.
      const again = await t.app.get(MessagesService).postLessonCard(t.app.get(LoaderFactory).create(), {
        lessonId: lesson.id,
        teacherId: t3.id,
        studentId: learner.id,
      });
      expect(again?._id).toBe((await cards())[0].id);
      expect(await cards()).toHaveLength(1);
      // Automatic cards cannot be changed.
      expect(codeOf(await learner.gql.request(DELETE, { id: (await cards())[0].id }))).toBe('CONFLICT');

      // Either participant may send a card of their lesson.
      const mine = await send(t3, { conversationId: conversation.id, text: 'See you then', lessonId: lesson.id });
      expect(mine.lessonId).toBe(lesson.id);
    });
  });

  describe('block and report', () => {
    it('a block stops messages both ways until lifted, and hides presence', async () => {
      const [x, y] = await Promise.all([createAccount(t, 'STUDENT'), createTeacher(t)]);
      const first = await send(x, { toUserId: y.id, text: 'hello' });
      await y.gql.ok('mutation($id: ID!) { blockUser(userId: $id) }', { id: x.id });
      for (const [from, to] of [
        [x, y],
        [y, x],
      ]) {
        const res = await sendRaw(from, { toUserId: to.id, text: 'blocked?' });
        expect(codeOf(res)).toBe('FORBIDDEN');
        expect(extensionsOf(res)).toMatchObject({ reason: 'BLOCKED', field: 'input.toUserId' });
        expect(codeOf(await sendRaw(from, { conversationId: first.conversationId, text: 'x' }))).toBe('FORBIDDEN');
      }
      const PRESENCE = `query($id: ID!) { user(id: $id) { presence { status } } }`;
      expect((await x.gql.ok(PRESENCE, { id: y.id })).user.presence).toBeNull();
      expect((await x.gql.ok(CONVERSATION, { id: first.conversationId })).conversation).toMatchObject({
        blocked: true,
        blockedByMe: false,
        presence: null,
      });
      // x cannot lift y's block; y can.
      await x.gql.ok('mutation($id: ID!) { unblockUser(userId: $id) }', { id: y.id });
      expect(codeOf(await sendRaw(x, { toUserId: y.id, text: 'still?' }))).toBe('FORBIDDEN');
      await y.gql.ok('mutation($id: ID!) { unblockUser(userId: $id) }', { id: x.id });
      expect((await send(x, { toUserId: y.id, text: 'thanks' })).seq).toBe(2);
      expect((await x.gql.ok(PRESENCE, { id: y.id })).user.presence).toEqual({ status: 'OFFLINE' });
      // Presence is private: a stranger (no conversation with y) sees none; y sees their own.
      const stranger = await createAccount(t, 'STUDENT');
      expect((await stranger.gql.ok(PRESENCE, { id: y.id })).user.presence).toBeNull();
      expect((await y.gql.ok(PRESENCE, { id: y.id })).user.presence).toEqual({ status: 'OFFLINE' });
    });

    it('a participant reports the other’s message once; admins list reports', async () => {
      const reporter = await createAccount(t, 'STUDENT');
      const rude = await send(teacher, {
        toUserId: (await send(reporter, { toUserId: teacher.id, text: 'hi' })).senderId,
        text: 'rude words',
      });
      const REPORT = `mutation($id: ID!, $reason: String!) { reportMessage(messageId: $id, reason: $reason) }`;
      expect((await reporter.gql.ok(REPORT, { id: rude.id, reason: 'insulting' })).reportMessage).toBe(true);
      expect((await reporter.gql.ok(REPORT, { id: rude.id, reason: 'again' })).reportMessage).toBe(true);
      expect(codeOf(await reporter.gql.request(REPORT, { id: ulid(), reason: 'x' }))).toBe('NOT_FOUND');
      expect(codeOf(await teacher.gql.request(REPORT, { id: rude.id, reason: 'mine' }))).toBe('BAD_USER_INPUT');
      const REPORTS = `{ messageReports(first: 100) { edges { node { messageId reason text reporter { id } author { id } } } } }`;
      const reports = (await admin.gql.ok(REPORTS)).messageReports.edges.filter(
        (e: any) => e.node.messageId === rude.id,
      );
      expect(reports.map((e: any) => e.node)).toEqual([
        {
          messageId: rude.id,
          reason: 'insulting',
          text: 'rude words',
          reporter: { id: reporter.id },
          author: { id: teacher.id },
        },
      ]);
    });
  });

  it('raises message.sent with what a notification needs (sender, recipient, preview, presence)', async () => {
    const writer = await createAccount(t, 'STUDENT', { displayName: 'Probe Writer' });
    const text = `${'ß'.repeat(300)} <b>not markup</b>`;
    const sent = await send(writer, { toUserId: teacher.id, text });
    await t.app.get(OutboxRelay).idle();
    const events = sentEvents.filter((e) => e.payload.messageId === sent.id);
    expect(events).toHaveLength(1);
    expect(events[0].payload).toEqual({
      messageId: sent.id,
      conversationId: sent.conversationId,
      senderId: writer.id,
      senderName: 'Probe Writer',
      recipientId: teacher.id,
      preview: 'ß'.repeat(280),
      lessonId: null,
      attachmentCount: 0,
      automatic: false,
      sentAt: expect.any(String),
      recipientPresence: 'OFFLINE',
    });
  });

  it('limits how many messages a user sends per window', async () => {
    const chatty = await createAccount(t, 'STUDENT');
    const first = await send(chatty, { toUserId: teacher.id, text: '0' });
    for (let i = 1; i < SEND_LIMIT; i++) await send(chatty, { conversationId: first.conversationId, text: String(i) });
    const res = await sendRaw(chatty, { conversationId: first.conversationId, text: 'one too many' });
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(extensionsOf(res).retryAfterSeconds).toBeGreaterThan(0);
    expect(await stored('chat_messages', { senderId: chatty.id })).toBe(SEND_LIMIT);
  });
});
