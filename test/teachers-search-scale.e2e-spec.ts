import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { startTestApp, TestApp } from '@app/testing';
import { haversineKm, roundCoordinate } from '../src/teachers/search/geo';
import { TEACHER_PROFILE_MODEL, TeacherProfileDocument } from '../src/teachers/teacher-profile.schema';
import { toDocument } from '../src/teachers/teacher-profiles.repository';
import { LessonFormat } from '../src/teachers/teacher-scheduling';
import { DEFAULT_POLICIES, NO_PROFILE_MEDIA, SkillLevel, TeacherProfile } from '../src/teachers/teacher.types';

/**
 * The call budget of discovery at scale: 10,000 generated profiles inserted through the model,
 * then typical searches over GraphQL, each checked against a brute-force answer computed here
 * from the generated data, and counted in MongoDB commands (store_calls_total{store="mongodb"}).
 */
const N = 10_000;
const BUDGET = 2;

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Anna',
  'Jonas',
  'Chloé',
  'Luis',
  'Emily',
  'Marcus',
  'Yuki',
  'Sofia',
  'Lukas',
  'Ana',
  'Zoë',
  'Kenji',
  'Maria',
  'José',
  'Björn',
  'Ines',
];
const LAST = [
  'Bächler',
  'Bachmann',
  'Weber',
  'Martin',
  'Ortega',
  'Chen',
  'Johnson',
  'Tanaka',
  'Rossi',
  'Meier',
  'Souza',
  'Dubois',
  'Müller',
  'García',
  'Novák',
  'Bach',
];
const INSTRUMENTS = [
  'Piano',
  'Guitar',
  'Violin',
  'Cello',
  'Drums',
  'Voice',
  'Saxophone',
  'Flute',
  'Trumpet',
  'Bass guitar',
  'Ukulele',
  'Harp',
];
const GENRES = [
  'Classical',
  'Jazz',
  'Rock',
  'Pop',
  'Bachata',
  'Salsa',
  'Blues',
  'Folk',
  'Baroque',
  'Funk',
  'Bossa Nova',
  'Metal',
];
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'ja', 'nl'];
const CURRENCIES = ['EUR', 'USD', 'GBP'];
const CITIES: Array<[string, string, number, number]> = [
  ['Berlin', 'DE', 52.52, 13.405],
  ['Hamburg', 'DE', 53.5511, 9.9937],
  ['Munich', 'DE', 48.1351, 11.582],
  ['Paris', 'FR', 48.8566, 2.3522],
  ['London', 'GB', 51.5074, -0.1278],
  ['Madrid', 'ES', 40.4168, -3.7038],
  ['Rome', 'IT', 41.9028, 12.4964],
  ['Amsterdam', 'NL', 52.3676, 4.9041],
  ['New York', 'US', 40.7128, -74.006],
  ['Chicago', 'US', 41.8781, -87.6298],
  ['Los Angeles', 'US', 34.0522, -118.2437],
  ['Toronto', 'CA', 43.6532, -79.3832],
  ['São Paulo', 'BR', -23.5505, -46.6333],
  ['Tokyo', 'JP', 35.6762, 139.6503],
  ['Sydney', 'AU', -33.8688, 151.2093],
  ['Vienna', 'AT', 48.2082, 16.3738],
];
const LEVELS = [SkillLevel.BEGINNER, SkillLevel.INTERMEDIATE, SkillLevel.ADVANCED];

function generate(count: number): TeacherProfile[] {
  const r = rng(20261127);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const some = <T>(xs: readonly T[], max: number) => [
    ...new Set(Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(xs))),
  ];
  const now = new Date('2026-11-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const id = `gen-${String(i).padStart(5, '0')}`;
    const instruments = some(INSTRUMENTS, 2).map((name) => ({ name, levels: LEVELS.filter(() => r() < 0.6) }));
    for (const inst of instruments) if (inst.levels.length === 0) inst.levels.push(pick(LEVELS));
    const city = pick(CITIES);
    const located = r() < 0.85;
    // Up to about 40 km around the city centre.
    const latitude = city[2] + (r() - 0.5) * 0.7;
    const longitude = city[3] + (r() - 0.5) * 1.0;
    const currency = pick(CURRENCIES);
    const hourly = 2000 + Math.round(r() * 80) * 100;
    const formats = some([LessonFormat.ONLINE, LessonFormat.TEACHER_STUDIO, LessonFormat.STUDENT_HOME], 3);
    const ratingCount = r() < 0.3 ? 0 : 1 + Math.floor(r() * 40);
    const ratingSum = Array.from({ length: ratingCount }, () => 1 + Math.floor(r() * 5)).reduce((a, b) => a + b, 0);
    return {
      id,
      slug: id,
      displayName: `${pick(FIRST)} ${pick(LAST)}`,
      headline: r() < 0.5 ? `${pick(GENRES)} and ${pick(GENRES)} lessons` : null,
      bio: null,
      instruments,
      genres: some(GENRES, 3),
      languages: some(LANGUAGES, 2),
      formats: located ? formats : [LessonFormat.ONLINE],
      location: located ? { city: city[0], region: null, country: city[1], latitude, longitude } : null,
      timeZone: 'UTC',
      offerings: [30, 60, 90]
        .filter((d) => d === 60 || r() < 0.5)
        .map((d) => ({ durationMinutes: d, priceMinor: Math.round((hourly * d) / 60), currency })),
      policies: DEFAULT_POLICIES,
      socialLinks: [],
      published: r() < 0.95,
      publishedAt: now,
      media: { ...NO_PROFILE_MEDIA },
      ratingAverage: ratingCount ? ratingSum / ratingCount : 0,
      ratingCount,
      revision: 1,
      createdAt: now,
      updatedAt: now,
    };
  });
}

// ── Brute force: the specification of each filter and order, written independently of the pipeline.
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string) => fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];
const pos = (p: TeacherProfile) =>
  p.location ? [roundCoordinate(p.location.latitude), roundCoordinate(p.location.longitude)] : null;
const byRating = (a: TeacherProfile, b: TeacherProfile) =>
  b.ratingAverage - a.ratingAverage || b.ratingCount - a.ratingCount || (a.id < b.id ? -1 : 1);
const price = (p: TeacherProfile, d: number, c: string) =>
  p.offerings.find((o) => o.durationMinutes === d && o.currency === c)?.priceMinor;

function textScore(p: TeacherProfile, tokens: string[]): number | null {
  const key = [p.displayName, ...p.instruments.map((i) => i.name), ...p.genres].flatMap(words);
  const all = [...key, ...words(p.headline ?? '')];
  if (!tokens.every((q) => all.some((w) => w.startsWith(q)))) return null;
  return tokens.reduce((s, q) => s + 1 + (key.some((w) => w.startsWith(q)) ? 1 : 0) + (all.includes(q) ? 1 : 0), 0);
}

describe(`searchTeachers over ${N.toLocaleString('en')} profiles`, () => {
  let t: TestApp;
  let data: TeacherProfile[];
  const published = () => data.filter((p) => p.published);

  beforeAll(async () => {
    // No background jobs: a periodic sweep's MongoDB call would be counted against the page.
    t = await startTestApp({ config: { JOBS_ENABLED: 'false' } });
    data = generate(N);
    const model = t.app.get<Model<TeacherProfileDocument>>(getModelToken(TEACHER_PROFILE_MODEL));
    for (let i = 0; i < data.length; i += 1000) {
      await model.insertMany(data.slice(i, i + 1000).map(toDocument), { lean: true, ordered: false });
    }
  }, 300_000);
  afterAll(async () => t?.close());

  const SEARCH = `query Search($filter: TeacherSearchFilter, $sort: TeacherSort, $first: Int, $after: String) {
    searchTeachers(filter: $filter, sort: $sort, first: $first, after: $after) {
      edges { node { id distanceKm } } pageInfo { hasNextPage endCursor }
    }
  }`;

  /** One page over GraphQL and the MongoDB commands it cost. */
  async function measured(variables: Record<string, unknown>) {
    const before = await t.metrics.storeCallCount('mongodb');
    const data = await t.gql.ok<{
      searchTeachers: {
        edges: Array<{ node: { id: string; distanceKm: number | null } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(SEARCH, variables);
    const calls = (await t.metrics.storeCallCount('mongodb')) - before;
    return { page: data.searchTeachers, calls };
  }

  /** The first two pages of 20 match the brute-force answer; each page stays within the call budget. */
  async function expectSearch(filter: object, sort: string, expected: TeacherProfile[]) {
    expect(expected.length).toBeGreaterThan(40);
    const one = await measured({ filter, sort, first: 20 });
    expect(one.calls).toBeLessThanOrEqual(BUDGET);
    expect(one.page.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 20).map((p) => p.id));
    expect(one.page.pageInfo.hasNextPage).toBe(true);
    const two = await measured({ filter, sort, first: 20, after: one.page.pageInfo.endCursor });
    expect(two.calls).toBeLessThanOrEqual(BUDGET);
    expect(two.page.edges.map((e) => e.node.id)).toEqual(expected.slice(20, 40).map((p) => p.id));
    process.stdout.write(
      `  ${sort} ${JSON.stringify(filter)}: ${expected.length} matches, MongoDB calls per page ${one.calls}, ${two.calls}\n`,
    );
    return one.page;
  }

  it('instrument + level + price range, PRICE_ASC', async () => {
    const filter = {
      instrument: 'guitar',
      level: 'BEGINNER',
      price: { durationMinutes: 60, currency: 'EUR', minAmountMinor: 3000, maxAmountMinor: 7000 },
    };
    const expected = published()
      .filter((p) => p.instruments.some((i) => i.name === 'Guitar' && i.levels.includes(SkillLevel.BEGINNER)))
      .filter((p) => (price(p, 60, 'EUR') ?? -1) >= 3000 && (price(p, 60, 'EUR') ?? Infinity) <= 7000)
      .sort((a, b) => price(a, 60, 'EUR')! - price(b, 60, 'EUR')! || (a.id < b.id ? -1 : 1));
    await expectSearch(filter, 'PRICE_ASC', expected);
  });

  it('near + format, DISTANCE', async () => {
    const near = { latitude: 52.52, longitude: 13.405, radiusKm: 25 };
    const filter = { near, format: 'STUDENT_HOME' };
    const dist = (p: TeacherProfile) => haversineKm(near.latitude, near.longitude, pos(p)![0], pos(p)![1]);
    const expected = published()
      .filter((p) => p.formats.includes(LessonFormat.STUDENT_HOME) && pos(p) && dist(p) <= near.radiusKm)
      .sort((a, b) => dist(a) - dist(b) || (a.id < b.id ? -1 : 1));
    const page = await expectSearch(filter, 'DISTANCE', expected);
    page.edges.forEach((e, i) => expect(e.node.distanceKm).toBeCloseTo(dist(expected[i]), 1));
  });

  it('text query, RELEVANCE', async () => {
    const tokens = ['bach'];
    const scored = published()
      .map((p) => ({ p, s: textScore(p, tokens) }))
      .filter((x): x is { p: TeacherProfile; s: number } => x.s !== null);
    const expected = scored.sort((a, b) => b.s - a.s || byRating(a.p, b.p)).map((x) => x.p);
    await expectSearch({ text: 'BÄCH' }, 'RELEVANCE', expected);
  });

  it('genre + language + minimum rating, RATING', async () => {
    const filter = { genre: 'jazz', language: 'en', minRating: 3 };
    const expected = published()
      .filter((p) => p.genres.includes('Jazz') && p.languages.includes('en') && p.ratingAverage >= 3)
      .sort(byRating);
    await expectSearch(filter, 'RATING', expected);
  });

  it('text + near + price, PRICE_DESC', async () => {
    const near = { latitude: 40.7128, longitude: -74.006, radiusKm: 50 };
    const filter = { text: 'ba', near, price: { durationMinutes: 60, currency: 'USD' } };
    const expected = published()
      .filter(
        (p) =>
          textScore(p, ['ba']) !== null &&
          pos(p) &&
          haversineKm(near.latitude, near.longitude, pos(p)![0], pos(p)![1]) <= near.radiusKm,
      )
      .filter((p) => price(p, 60, 'USD') !== undefined)
      .sort((a, b) => price(b, 60, 'USD')! - price(a, 60, 'USD')! || (a.id < b.id ? -1 : 1));
    await expectSearch(filter, 'PRICE_DESC', expected);
  });

  it('declares the indexes the searches use in the schema (and they exist in the collection)', async () => {
    const model = t.app.get<Model<TeacherProfileDocument>>(getModelToken(TEACHER_PROFILE_MODEL));
    const keys = (await model.collection.indexes()).map((i) => JSON.stringify(i.key));
    expect(keys).toEqual(
      expect.arrayContaining([
        '{"slug":1}',
        '{"published":1,"facetKeys":1}',
        '{"published":1,"search.tokens":1}',
        '{"published":1,"offerings.durationMinutes":1,"offerings.currency":1,"offerings.priceMinor":1}',
        '{"published":1,"geo.lat":1,"geo.lng":1}',
        '{"published":1,"ratingAverage":-1,"ratingCount":-1,"_id":1}',
      ]),
    );
    expect(model.schema.indexes().length).toBe(6);
  });
});
