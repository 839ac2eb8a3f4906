import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import sharp from 'sharp';
import { ulid } from 'ulid';
import { createAccount, createTeacher, settle, startTestApp, TestAccount, TestApp } from '@app/testing';
import { JobScheduler } from '../src/jobs/job-scheduler.service';
import { codeOf, DELETE, extensionsOf, history, MESSAGE_FIELDS, sendRaw } from './chat-support';
import { bucketKeys, createUpload, MEDIA, upload } from './media-support';

const ATTACHMENT_FIELDS = `${MESSAGE_FIELDS} attachments { id kind contentType byteSize fileName status url urlExpiresAt variants { size format url } }`;
const SEND_WITH_FILES = `mutation Send($input: SendMessageInput!) { sendMessage(input: $input) { ${ATTACHMENT_FIELDS} } }`;
const MESSAGES_WITH_FILES = `query Messages($id: ID!) { messages(conversationId: $id, last: 50) { edges { node { ${ATTACHMENT_FIELDS} } } } }`;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('chat: message attachments (media CHAT_ATTACHMENT uploads)', () => {
  let t: TestApp;
  let teacher: TestAccount;
  let otherTeacher: TestAccount;
  let student: TestAccount;
  let stranger: TestAccount;
  let admin: TestAccount;
  let mongo: Connection;
  let png: Buffer;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', CHAT_SEND_RATE_LIMIT: '1000' } });
    mongo = t.app.get<Connection>(getConnectionToken());
    [teacher, otherTeacher, student, stranger, admin] = await Promise.all([
      createTeacher(t),
      createTeacher(t),
      createAccount(t, 'STUDENT'),
      createAccount(t, 'STUDENT'),
      createAccount(t, 'ADMIN'),
    ]);
    png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
  });
  afterAll(async () => t?.close());

  /** A READY CHAT_ATTACHMENT of `owner` (images get their derivatives first). */
  async function attachment(owner: TestAccount, kind: 'png' | 'pdf' = 'pdf'): Promise<string> {
    const [type, bytes] = kind === 'png' ? ['image/png', png] : ['application/pdf', PDF];
    const { res, media } = await upload(owner.gql, 'CHAT_ATTACHMENT', type, bytes, { fileName: `score.${kind}` });
    expect(res.errors).toBeUndefined();
    // Images get their derivatives from a job (which the scheduler's own poll may be running already).
    for (let round = 0; round < 100; round++) {
      if ((await owner.gql.ok(MEDIA, { id: media!.id })).media.status === 'READY') return media!.id as string;
      await t.app.get(JobScheduler).runDueDelayed();
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`media ${media!.id} did not become READY`);
  }

  const counts = async () => ({
    messages: await mongo.collection('chat_messages').countDocuments({}),
    conversations: await mongo.collection('chat_conversations').countDocuments({}),
  });
  const sendFiles = (from: TestAccount, input: Record<string, unknown>) =>
    from.gql.request<{ sendMessage: any }>(SEND_WITH_FILES, { input: { clientMessageId: ulid(), ...input } });

  it('sends files in order; both participants see them with working URLs, nobody else does', async () => {
    const photo = await attachment(student, 'png');
    const score = await attachment(student, 'pdf');
    const res = await sendFiles(student, { toUserId: teacher.id, attachmentIds: [score, photo] });
    expect(res.errors).toBeUndefined();
    const sent = res.data!.sendMessage;
    expect(sent.text).toBe('');
    expect(sent.attachments.map((a: { id: string }) => a.id)).toEqual([score, photo]);
    expect(sent.attachments[0]).toMatchObject({
      kind: 'DOCUMENT',
      contentType: 'application/pdf',
      fileName: 'score.pdf',
    });
    expect(sent.attachments[1]).toMatchObject({ kind: 'IMAGE', status: 'READY' });
    expect(sent.attachments[1].variants).toHaveLength(6);

    // The teacher reads the same message, fetches the file through its URL and may look it up.
    const { messages } = await teacher.gql.ok(MESSAGES_WITH_FILES, { id: sent.conversationId });
    const seen = messages.edges.map((e: { node: any }) => e.node).find((m: { id: string }) => m.id === sent.id);
    expect(seen.attachments.map((a: { id: string }) => a.id)).toEqual([score, photo]);
    const file = await fetch(seen.attachments[0].url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect(new Date(seen.attachments[0].urlExpiresAt).getTime()).toBeGreaterThan(t.clock.now().getTime());
    expect((await teacher.gql.ok(MEDIA, { id: photo })).media).toMatchObject({ id: photo, status: 'READY' });

    // Someone outside the conversation: not visible (the same answer as a missing id); admins see it.
    expect((await stranger.gql.ok(MEDIA, { id: photo })).media).toBeNull();
    expect((await otherTeacher.gql.ok(MEDIA, { id: score })).media).toBeNull();
    expect((await admin.gql.ok(MEDIA, { id: score })).media).toMatchObject({ id: score });
    const outsider = await stranger.gql.request(MESSAGES_WITH_FILES, { id: sent.conversationId });
    expect(codeOf(outsider)).toBe('FORBIDDEN');
  });

  it('refuses unusable attachments by name and stores nothing: no message, no conversation', async () => {
    const before = await counts();
    const theirs = await attachment(stranger);
    const { media: avatar } = await upload(student.gql, 'AVATAR', 'image/png', png);
    const unfinished = await createUpload(student.gql, {
      purpose: 'CHAT_ATTACHMENT',
      contentType: 'application/pdf',
      byteSize: PDF.length,
    });
    const mine = await attachment(student);

    const notMine = await sendFiles(student, { toUserId: otherTeacher.id, attachmentIds: [mine, theirs] });
    expect(codeOf(notMine)).toBe('NOT_FOUND');
    expect(notMine.errors![0].message).toContain(theirs);

    const wrongPurpose = await sendFiles(student, { toUserId: otherTeacher.id, attachmentIds: [avatar!.id] });
    expect(extensionsOf(wrongPurpose)).toMatchObject({
      code: 'CONFLICT',
      reason: 'MEDIA_NOT_USABLE',
      field: 'input.attachmentIds',
    });
    expect(wrongPurpose.errors![0].message).toContain('CHAT_ATTACHMENT');

    const notReady = await sendFiles(student, { toUserId: otherTeacher.id, attachmentIds: [unfinished.media.id] });
    expect(extensionsOf(notReady)).toMatchObject({ reason: 'MEDIA_NOT_USABLE', currentStatus: 'UPLOADING' });

    const tooMany = await sendRaw(student, {
      toUserId: otherTeacher.id,
      attachmentIds: Array.from({ length: 11 }, () => ulid()),
    });
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(tooMany.errors)).toContain('attachmentIds');
    const repeated = await sendRaw(student, { toUserId: otherTeacher.id, attachmentIds: [mine, mine] });
    expect(codeOf(repeated)).toBe('BAD_USER_INPUT');
    const badId = await sendRaw(student, { toUserId: otherTeacher.id, attachmentIds: ['../../etc'] });
    expect(codeOf(badId)).toBe('BAD_USER_INPUT');
    const empty = await sendRaw(student, { toUserId: otherTeacher.id, attachmentIds: [] });
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');

    expect(await counts()).toEqual(before);
    // A refused attachment stays the sender's, unbound: it can still be sent.
    const ok = await sendFiles(student, { toUserId: otherTeacher.id, text: 'now', attachmentIds: [mine] });
    expect(ok.errors).toBeUndefined();
  });

  it('a file sent in one conversation cannot be sent in another; sent twice at once, exactly one send wins', async () => {
    const used = await attachment(student);
    await sendFiles(student, { toUserId: teacher.id, text: 'first', attachmentIds: [used] });
    const elsewhere = await sendFiles(student, { toUserId: otherTeacher.id, attachmentIds: [used] });
    expect(extensionsOf(elsewhere)).toMatchObject({ reason: 'MEDIA_NOT_USABLE', field: 'input.attachmentIds' });
    // Within its own conversation it may be sent again (a forward of the same file).
    const again = await sendFiles(student, { toUserId: teacher.id, text: 'again', attachmentIds: [used] });
    expect(again.errors).toBeUndefined();

    for (let round = 0; round < 4; round++) {
      const shared = await attachment(student);
      const results = await Promise.all(
        [teacher, otherTeacher].map((to) => sendFiles(student, { toUserId: to.id, attachmentIds: [shared] })),
      );
      const won = results.filter((r) => !r.errors);
      expect({ round, won: won.length }).toEqual({ round, won: 1 });
      const lost = results.find((r) => r.errors)!;
      expect(extensionsOf(lost)).toMatchObject({ reason: 'MEDIA_NOT_USABLE' });
      // The winner's conversation is the one the file may be seen in.
      const winnerConversation = won[0].data!.sendMessage.conversationId;
      const recipient = winnerConversation === (await conversationWith(teacher)) ? teacher : otherTeacher;
      const loser = recipient === teacher ? otherTeacher : teacher;
      expect((await recipient.gql.ok(MEDIA, { id: shared })).media).toMatchObject({ id: shared });
      expect((await loser.gql.ok(MEDIA, { id: shared })).media).toBeNull();
    }
  });

  async function conversationWith(other: TestAccount): Promise<string> {
    const res = await other.gql.ok(`{ conversations(first: 50) { edges { node { id otherParticipantId } } } }`);
    return res.conversations.edges.find((e: { node: any }) => e.node.otherParticipantId === student.id).node.id;
  }

  it('a retry with the same files returns the stored message; with other files it is refused', async () => {
    const a = await attachment(student);
    const b = await attachment(student);
    const clientMessageId = ulid();
    const first = await sendFiles(student, { toUserId: teacher.id, clientMessageId, attachmentIds: [a, b] });
    const retry = await sendFiles(student, { toUserId: teacher.id, clientMessageId, attachmentIds: [a, b] });
    expect(retry.data!.sendMessage.id).toBe(first.data!.sendMessage.id);
    const reordered = await sendFiles(student, { toUserId: teacher.id, clientMessageId, attachmentIds: [b, a] });
    expect(extensionsOf(reordered)).toMatchObject({ code: 'CONFLICT', field: 'input.clientMessageId' });
  });

  it('a file sent twice in a conversation stays until the last message carrying it is deleted', async () => {
    const score = await attachment(student);
    const first = (await sendFiles(student, { toUserId: teacher.id, text: 'one', attachmentIds: [score] })).data!
      .sendMessage;
    const second = (await sendFiles(student, { toUserId: teacher.id, text: 'two', attachmentIds: [score] })).data!
      .sendMessage;
    await student.gql.ok(DELETE, { id: first.id });
    await settle(t);
    expect((await teacher.gql.ok(MEDIA, { id: score })).media).toMatchObject({ id: score });
    await student.gql.ok(DELETE, { id: second.id });
    await settle(t);
    expect((await student.gql.ok(MEDIA, { id: score })).media).toBeNull();
  });

  it('deleting a message deletes its files (storage included); an edit keeps them', async () => {
    const photo = await attachment(student, 'png');
    const res = await sendFiles(student, { toUserId: teacher.id, text: 'look', attachmentIds: [photo] });
    expect(res.errors).toBeUndefined();
    const sent = res.data!.sendMessage;
    const stored = await mongo.collection<{ _id: string; key: string }>('media').findOne({ _id: photo });
    const token = stored!.key.split('/')[1];
    const objectsOf = async () => (await bucketKeys(t)).filter((k) => k.split('/')[1] === token);
    expect(await objectsOf()).toHaveLength(7); // the upload and its six derivatives

    const edited = await student.gql.ok(
      `mutation { editMessage(id: "${sent.id}", text: "") { id text attachments { id } } }`,
    );
    expect(edited.editMessage).toMatchObject({ text: '', attachments: [{ id: photo }] });

    const deleted = (await student.gql.ok(DELETE, { id: sent.id })).deleteMessage;
    expect(deleted).toMatchObject({ deleted: true });
    await settle(t);
    const tombstone = (await history(teacher, sent.conversationId)).find((m) => m.id === sent.id)!;
    expect(tombstone.deleted).toBe(true);
    const { messages } = await teacher.gql.ok(MESSAGES_WITH_FILES, { id: sent.conversationId });
    expect(messages.edges.find((e: { node: any }) => e.node.id === sent.id).node.attachments).toEqual([]);
    expect((await student.gql.ok(MEDIA, { id: photo })).media).toBeNull();
    expect(await objectsOf()).toEqual([]);
  });
});
