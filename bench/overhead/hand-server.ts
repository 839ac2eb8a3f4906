/**
 * The baseline of the overhead benchmark: a minimal hand-written `node:http` server answering the
 * benchmark's operations (bench/overhead/operations.ts) with the same bytes as the
 * production server, from the same stores, with the same authentication check (JWT HS256 with
 * issuer, audience and expiry; then the user and the session in one BatchGetItem) and the minimum
 * number of store calls. What the production server spends beyond this is the price of its
 * framework layers. It reuses the project's pure helpers (search pipeline, cursors, rounding) so
 * both compute the same answer; everything GraphQL, Nest, Express and Apollo do is left out.
 */
import '../../src/module-aliases';
import { createSecretKey } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import jwt from 'jsonwebtoken';
import { mongo } from 'mongoose';
import { encodeCursor } from '../../libs/common/src/pagination/cursor';
import { createDocumentClient } from '../../libs/dynamo/src/client';
import { latestReviewsPipeline } from '../../src/reviews/reviews.repository';
import { TeacherSort } from '../../src/teachers/dto/search-teachers.args';
import { roundCoordinate } from '../../src/teachers/search/geo';
import { criteriaFingerprint } from '../../src/teachers/search/search-criteria';
import { encodeSearchCursor } from '../../src/teachers/search/search-cursor';
import { searchPipeline, sortFieldsFor, sortValuesOf } from '../../src/teachers/search/search-pipeline';
import { criteriaOf } from '../../src/teachers/search/teacher-search.service';
import { reportStartupFailure, serveBenchmarkChannel } from './child-channel';
import { JSON_CONTENT_TYPE } from './operations';

type Item = Record<string, any>;

interface HandConfig {
  JWT_SECRET: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  DYNAMODB_TABLE: string;
  MONGODB_URI: string;
}

const HANDSHAKE = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'saslStart']);

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_HAND_CONFIG ?? '{}') as HandConfig;
  const storeCalls: Record<string, number> = {};
  const count = (key: string) => (storeCalls[key] = (storeCalls[key] ?? 0) + 1);

  const table = config.DYNAMODB_TABLE;
  const dynamo = createDocumentClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: process.env.DYNAMODB_ENDPOINT,
    onCall: (operation) => count(`dynamodb:${operation}`),
  });
  const mongoClient = new mongo.MongoClient(config.MONGODB_URI, { monitorCommands: true });
  mongoClient.on('commandStarted', (e) => {
    if (!HANDSHAKE.has(e.commandName)) count(`mongodb:${e.commandName}`);
  });
  await mongoClient.connect();
  const db = mongoClient.db();
  const profiles = db.collection('teacher_profiles');
  const reviews = db.collection('reviews');
  const conversations = db.collection('chat_conversations');
  const chatMessages = db.collection('chat_messages');
  const key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));

  const batchGet = async (keys: Array<{ PK: string; SK: string }>): Promise<Map<string, Item>> => {
    const found = new Map<string, Item>();
    for (let i = 0; i < keys.length; i += 100) {
      const out = await dynamo.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: keys.slice(i, i + 100) } } }),
      );
      for (const item of out.Responses?.[table] ?? []) found.set(`${item.PK}\u0000${item.SK}`, item);
    }
    return found;
  };

  /** The signed-in user's item, or null: the same checks as the production server's guard. */
  const viewer = async (req: IncomingMessage): Promise<Item | null> => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return null;
    let claims: Item;
    try {
      claims = jwt.verify(header.slice(7), key, {
        algorithms: ['HS256'],
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      }) as Item;
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.ver !== 'number') return null;
    const userKey = { PK: `USER#${claims.sub}`, SK: 'USER' };
    const sessionKey = { PK: `USER#${claims.sub}`, SK: `SESSION#${claims.sid}` };
    const items = await batchGet([userKey, sessionKey]);
    const user = items.get(`${userKey.PK}\u0000USER`);
    if (!user || user.status !== 'ACTIVE' || (user.tokenVersion ?? 0) !== claims.ver) return null;
    if (!items.has(`${sessionKey.PK}\u0000${sessionKey.SK}`)) return null;
    return user;
  };

  const me = (user: Item) => ({
    me: {
      id: user.id,
      displayName: user.displayName,
      email: user.email,
      roles: user.roles,
      timeZone: user.timeZone,
      createdAt: new Date(user.createdAt).toISOString(),
    },
  });

  const myLessons = async (user: Item, first: number) => {
    const out = await dynamo.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': 'GSI1PK', '#sk': 'GSI1SK' },
        ExpressionAttributeValues: { ':pk': `TEACHER#${user.id}`, ':from': '0000', ':to': '9999~' },
        Limit: first + 1,
      }),
    );
    const lessons = (out.Items ?? []).slice(0, first);
    const studentIds = [...new Set(lessons.map((l) => l.studentId as string))].filter((id) => id !== user.id);
    const users = await batchGet(studentIds.map((id) => ({ PK: `USER#${id}`, SK: 'USER' })));
    const nameOf = (id: string) => (id === user.id ? user : users.get(`USER#${id}\u0000USER`)!).displayName;
    const edges = lessons.map((l) => ({
      cursor: encodeCursor({ k: { PK: l.PK, SK: l.SK, GSI1PK: l.GSI1PK, GSI1SK: l.GSI1SK } }),
      node: {
        id: l.id,
        start: new Date(l.start).toISOString(),
        end: new Date(l.end).toISOString(),
        status: l.status,
        durationMinutes: l.durationMinutes,
        price: { amountMinor: l.priceMinor, currency: l.currency },
        student: { displayName: nameOf(l.studentId) },
        teacher: { displayName: nameOf(l.teacherId) },
      },
    }));
    return {
      myLessons: {
        edges,
        pageInfo: {
          hasNextPage: (out.Items ?? []).length > first,
          endCursor: edges.length ? edges[edges.length - 1].cursor : null,
        },
      },
    };
  };

  const conversationsPage = async (user: Item, first: number) => {
    const rows = await conversations
      .find({ participantIds: user.id, seq: { $gt: 0 } })
      .sort({ lastActivityAt: -1, _id: -1 })
      .limit(first + 1)
      .toArray();
    const page = rows.slice(0, first);
    const last = page.length
      ? await chatMessages.find({ $or: page.map((c) => ({ conversationId: c._id, seq: c.seq })) }).toArray()
      : [];
    const lastOf = new Map(last.map((m) => [`${m.conversationId}:${m.seq}`, m]));
    const otherOf = (c: Item) =>
      (c.participantIds[0] === user.id ? c.participantIds[1] : c.participantIds[0]) as string;
    const users = await batchGet([...new Set(page.map(otherOf))].map((id) => ({ PK: `USER#${id}`, SK: 'USER' })));
    const edges = page.map((c) => {
      const message = lastOf.get(`${c._id as unknown as string}:${c.seq}`);
      const other = users.get(`USER#${otherOf(c)}\u0000USER`);
      return {
        cursor: encodeCursor({ t: new Date(c.lastActivityAt).getTime(), id: c._id }),
        node: {
          id: c._id,
          unreadCount: Math.max(0, c.members?.[user.id]?.unread ?? 0),
          lastActivityAt: new Date(c.lastActivityAt).toISOString(),
          otherParticipant: other ? { displayName: other.displayName } : null,
          lastMessage: message
            ? { seq: message.seq, text: message.text, createdAt: new Date(message.createdAt).toISOString() }
            : null,
        },
      };
    });
    return {
      conversations: {
        edges,
        pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      },
    };
  };

  const searchPage = async (first: number) => {
    const criteria = criteriaOf({}, TeacherSort.RELEVANCE);
    const sort = sortFieldsFor(criteria);
    const fingerprint = criteriaFingerprint(criteria);
    const rows = await profiles
      .aggregate(searchPipeline(criteria, sort, null, first + 1), { batchSize: first + 1 })
      .toArray();
    const page = rows.slice(0, first);
    const groups = page.length
      ? await reviews
          .aggregate(
            latestReviewsPipeline(
              page.map((p) => p._id as unknown as string),
              3,
            ),
          )
          .toArray()
      : [];
    const reviewsOf = new Map(groups.map((g) => [g._id as unknown as string, g.reviews as Item[]]));
    const studentIds = [...new Set(groups.flatMap((g) => (g.reviews as Item[]).map((r) => r.studentId as string)))];
    const users = await batchGet(studentIds.map((id) => ({ PK: `USER#${id}`, SK: 'USER' })));
    const edges = page.map((doc) => ({
      cursor: encodeSearchCursor(fingerprint, sortValuesOf(doc, sort)),
      node: {
        id: doc._id,
        slug: doc.slug,
        displayName: doc.displayName,
        headline: doc.headline ?? null,
        offerings: (doc.offerings ?? []).map((o: Item) => ({
          durationMinutes: o.durationMinutes,
          amountMinor: o.priceMinor,
          currency: o.currency,
        })),
        ratingAverage: Math.round((doc.ratingAverage ?? 0) * 100) / 100,
        ratingCount: doc.ratingCount ?? 0,
        location: doc.location
          ? {
              city: doc.location.city,
              country: doc.location.country,
              latitude: roundCoordinate(doc.location.latitude),
              longitude: roundCoordinate(doc.location.longitude),
            }
          : null,
        reviews: {
          edges: (reviewsOf.get(doc._id as unknown as string) ?? []).map((r) => ({
            node: {
              rating: r.rating,
              text: r.text,
              createdAt: new Date(r.createdAt).toISOString(),
              student: { displayName: users.get(`USER#${r.studentId}\u0000USER`)!.displayName },
            },
          })),
        },
      },
    }));
    return {
      searchTeachers: {
        edges,
        pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      },
    };
  };

  const respond = (res: ServerResponse, status: number, body: unknown) => {
    const text = `${JSON.stringify(body)}\n`;
    res.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const { operationName, variables } = JSON.parse(raw) as { operationName?: string; variables?: Item };
    const first = Number(variables?.first ?? 20);
    if (operationName === 'SearchPage') return respond(res, 200, { data: await searchPage(first) });
    const user = await viewer(req);
    if (!user)
      return respond(res, 200, { errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
    if (operationName === 'Me') return respond(res, 200, { data: me(user) });
    if (operationName === 'MyLessons') return respond(res, 200, { data: await myLessons(user, first) });
    if (operationName === 'Conversations') return respond(res, 200, { data: await conversationsPage(user, first) });
    respond(res, 400, { errors: [{ message: `unknown operation ${operationName}` }] });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: Error) =>
        respond(res, 500, { errors: [{ message: err.message }] }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveBenchmarkChannel({
    port: (server.address() as { port: number }).port,
    storeCalls: () => ({ ...storeCalls }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      dynamo.destroy();
      await mongoClient.close();
    },
  });
}

main().catch(reportStartupFailure);
