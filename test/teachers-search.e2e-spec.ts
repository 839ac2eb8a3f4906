import { createAccount, startTestApp, TestAccount, TestApp } from '@app/testing';
import { haversineKm } from '../src/teachers/search/geo';
import { TeacherProfilesRepository } from '../src/teachers/teacher-profiles.repository';
import { errorFields, mapLimit, PUBLISH, TEACHER, UPSERT } from './teachers-support';

/**
 * Discovery search over a small fixed data set whose answers are worked out by hand. Coordinates
 * are real; distances below are between the query point and the public (rounded) positions.
 */
type Key = `T${string}`;
interface Fixture {
  name: string;
  instruments: Array<[string, string[]]>;
  genres: string[];
  languages: string[];
  formats: string[];
  location?: { city: string; country: string; latitude: number; longitude: number };
  /** The 60-minute lesson: [amountMinor, currency]; plus other offerings. */
  price60: [number, string];
  more?: Array<[number, number, string]>;
  headline?: string;
  /** [sum of ratings, number of ratings] */
  rating?: [number, number];
  unpublished?: boolean;
}

const B = 'BEGINNER';
const I = 'INTERMEDIATE';
const A = 'ADVANCED';

// prettier-ignore
const DATA: Record<Key, Fixture> = {
  T01: { name: 'Anna Bächler', instruments: [['Piano', [B, I]]], genres: ['Classical'], languages: ['de', 'en'], formats: ['ONLINE', 'TEACHER_STUDIO'],
    location: { city: 'Berlin', country: 'DE', latitude: 52.5163, longitude: 13.3777 }, price60: [5000, 'EUR'], rating: [9, 2] },
  T02: { name: 'Luis Ortega', instruments: [['Guitar', [B, I, A]]], genres: ['Bachata', 'Salsa'], languages: ['es', 'en'], formats: ['ONLINE', 'STUDENT_HOME'],
    location: { city: 'Potsdam', country: 'DE', latitude: 52.3906, longitude: 13.0645 }, price60: [4000, 'EUR'], rating: [4, 1] },
  T03: { name: 'Maria Bach', instruments: [['Violin', [A]]], genres: ['Baroque', 'Classical'], languages: ['de'], formats: ['TEACHER_STUDIO'],
    location: { city: 'Leipzig', country: 'DE', latitude: 51.3397, longitude: 12.3731 }, price60: [7000, 'EUR'], rating: [5, 1] },
  T04: { name: 'Jonas Weber', instruments: [['Cello', [I, A]]], genres: ['Classical'], languages: ['de', 'en'], formats: ['ONLINE'], headline: 'Bach suites and beyond',
    location: { city: 'Hamburg', country: 'DE', latitude: 53.5511, longitude: 9.9937 }, price60: [5500, 'EUR'], rating: [6, 2] },
  T05: { name: 'Chloé Martin', instruments: [['Piano', [B]]], genres: ['Jazz', 'Pop'], languages: ['fr', 'en'], formats: ['ONLINE', 'TEACHER_STUDIO'],
    location: { city: 'Paris', country: 'FR', latitude: 48.8566, longitude: 2.3522 }, price60: [6000, 'EUR'], rating: [24, 5] },
  T06: { name: 'Oliver Smith', instruments: [['Drums', [B, I]]], genres: ['Rock'], languages: ['en'], formats: ['STUDENT_HOME'],
    location: { city: 'London', country: 'GB', latitude: 51.5074, longitude: -0.1278 }, price60: [4500, 'GBP'], rating: [21, 5] },
  T07: { name: 'Emily Chen', instruments: [['Piano', [I, A]]], genres: ['Classical', 'Jazz'], languages: ['en', 'zh'], formats: ['ONLINE', 'TEACHER_STUDIO'],
    location: { city: 'New York', country: 'US', latitude: 40.7128, longitude: -74.006 }, price60: [9000, 'USD'], more: [[30, 5000, 'USD']], rating: [49, 10] },
  T08: { name: 'Marcus Johnson', instruments: [['Saxophone', [B, I, A]]], genres: ['Jazz', 'Funk'], languages: ['en'], formats: ['TEACHER_STUDIO'],
    location: { city: 'Brooklyn', country: 'US', latitude: 40.6782, longitude: -73.9442 }, price60: [8000, 'USD'], rating: [23, 5] },
  T09: { name: 'Yuki Tanaka', instruments: [['Koto', [B]]], genres: ['Traditional'], languages: ['ja', 'en'], formats: ['TEACHER_STUDIO'],
    location: { city: 'Tokyo', country: 'JP', latitude: 35.6762, longitude: 139.6503 }, price60: [6000, 'JPY'] },
  T10: { name: 'Sofia Rossi', instruments: [['Voice', [B, I]]], genres: ['Opera', 'Pop'], languages: ['it', 'en'], formats: ['ONLINE'],
    price60: [4500, 'EUR'], more: [[45, 3500, 'EUR']], rating: [8, 2] },
  T11: { name: 'Lukas Meier', instruments: [['Guitar', [B]]], genres: ['Rock', 'Blues'], languages: ['de'], formats: ['ONLINE'], price60: [3000, 'EUR'] },
  T12: { name: 'Ana Souza', instruments: [['Guitar', [I, A]]], genres: ['Bossa Nova', 'Samba'], languages: ['pt', 'en'], formats: ['ONLINE', 'STUDENT_HOME'],
    location: { city: 'São Paulo', country: 'BR', latitude: -23.5505, longitude: -46.6333 }, price60: [12000, 'BRL'], rating: [47, 10] },
  T13: { name: 'Sione Vea', instruments: [['Ukulele', [B, I]]], genres: ['Pacific', 'Reggae'], languages: ['en'], formats: ['STUDENT_HOME'],
    location: { city: 'Suva', country: 'FJ', latitude: -18.1248, longitude: 178.4501 }, price60: [8000, 'FJD'] },
  T14: { name: 'Mere Tuilau', instruments: [['Guitar', [B]]], genres: ['Pacific'], languages: ['en', 'fj'], formats: ['TEACHER_STUDIO'],
    location: { city: 'Tubou', country: 'FJ', latitude: -18.2333, longitude: -178.8 }, price60: [7000, 'FJD'] },
  T15: { name: 'Felix Schmidt', instruments: [['Piano', [A]]], genres: ['Jazz'], languages: ['de', 'en'], formats: ['TEACHER_STUDIO'],
    location: { city: 'München', country: 'DE', latitude: 48.1351, longitude: 11.582 }, price60: [8000, 'EUR'], rating: [22, 5] },
  T16: { name: 'Hannah Bachmann', instruments: [['Flute', [B, I]]], genres: ['Classical'], languages: ['de'], formats: ['ONLINE', 'TEACHER_STUDIO'],
    location: { city: 'Berlin', country: 'DE', latitude: 52.4986, longitude: 13.403 }, price60: [5000, 'EUR'], rating: [7, 2] },
  T17: { name: 'Zoë Dubois', instruments: [['Harp', [B, I, A]]], genres: ['Celtic'], languages: ['fr'], formats: ['ONLINE'], price60: [6500, 'EUR'], rating: [41, 10] },
  T18: { name: 'Kenji Mori', instruments: [['Piano', [B, I]]], genres: ['Pop', 'Anime'], languages: ['ja'], formats: ['ONLINE'], price60: [5000, 'JPY'] },
  T19: { name: 'Ben Bach', instruments: [['Piano', [B]]], genres: ['Classical'], languages: ['de'], formats: ['ONLINE', 'TEACHER_STUDIO'],
    location: { city: 'Berlin', country: 'DE', latitude: 52.52, longitude: 13.405 }, price60: [1000, 'EUR'], unpublished: true },
  T20: { name: 'Carla Núñez', instruments: [['Guitar', [B, I]]], genres: ['Flamenco'], languages: ['es'], formats: ['ONLINE', 'TEACHER_STUDIO'],
    location: { city: 'Berlin', country: 'DE', latitude: 52.539, longitude: 13.424 }, price60: [4500, 'EUR'], rating: [13, 3] },
};
const KEYS = Object.keys(DATA) as Key[];
const PUBLISHED = KEYS.filter((k) => !DATA[k].unpublished);

const SEARCH = `query Search($filter: TeacherSearchFilter, $sort: TeacherSort, $first: Int, $after: String) {
  searchTeachers(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { id slug displayName distanceKm ratingAverage location { latitude longitude approximate } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const BERLIN = { latitude: 52.52, longitude: 13.405 };
const SUVA = { latitude: -18.1248, longitude: 178.4501 };

describe('searchTeachers', () => {
  let t: TestApp;
  const idOf = {} as Record<Key, string>;
  const keyOf = new Map<string, Key>();
  const accountOf = {} as Record<Key, TestAccount>;

  beforeAll(async () => {
    t = await startTestApp({ config: { AUTH_RATE_LIMIT_PER_IP: '1000', AUTH_RATE_LIMIT_PER_ACCOUNT: '1000' } });
    await mapLimit(KEYS, 4, async (key) => {
      const f = DATA[key];
      const account = await createAccount(t, 'TEACHER', { displayName: f.name });
      const offerings = [[60, ...f.price60], ...(f.more ?? [])].map(([durationMinutes, amountMinor, currency]) => ({
        durationMinutes,
        amountMinor,
        currency,
      }));
      await account.gql.ok(UPSERT, {
        input: {
          slug: key.toLowerCase(),
          headline: f.headline ?? null,
          instruments: f.instruments.map(([name, levels]) => ({ name, levels })),
          genres: f.genres,
          languages: f.languages,
          formats: f.formats,
          location: f.location ?? null,
          offerings,
        },
      });
      if (!f.unpublished) await account.gql.ok(PUBLISH);
      if (f.rating) await t.app.get(TeacherProfilesRepository).setRating(account.id, f.rating[0], f.rating[1]);
      idOf[key] = account.id;
      accountOf[key] = account;
      keyOf.set(account.id, key);
    });
  }, 120_000);
  afterAll(async () => t?.close());

  type Edge = {
    cursor: string;
    node: {
      id: string;
      slug: string;
      distanceKm: number | null;
      location: { latitude: number; longitude: number; approximate: boolean } | null;
    };
  };

  async function page(filter: object | undefined, sort?: string, first?: number, after?: string) {
    return (
      await t.gql.ok<{ searchTeachers: { edges: Edge[]; pageInfo: Record<string, any> } }>(SEARCH, {
        filter,
        sort,
        first,
        after,
      })
    ).searchTeachers;
  }

  /** The keys of the whole result, in order (one page of up to 100). */
  async function search(filter?: object, sort?: string): Promise<Key[]> {
    const res = await page(filter, sort, 100);
    expect(res.pageInfo.hasNextPage).toBe(false);
    return res.edges.map((e) => keyOf.get(e.node.id)!);
  }

  /** Keys in id order: the tie-break among equal sort values. */
  const byId = (...keys: Key[]) => [...keys].sort((a, b) => (idOf[a] < idOf[b] ? -1 : 1));

  describe('filters', () => {
    it('by instrument, ignoring case and accents; unpublished profiles never appear', async () => {
      expect(await search({ instrument: 'piano' }, 'RATING')).toEqual(['T07', 'T05', 'T01', 'T15', 'T18']);
      expect(await search({ instrument: ' PIÁNO ' }, 'RATING')).toEqual(['T07', 'T05', 'T01', 'T15', 'T18']);
      expect(await search({ instrument: 'Ukulele' })).toEqual(['T13']);
      expect(await search({ instrument: 'theremin' })).toEqual([]);
    });

    it('by instrument and level together (the level taught on that instrument), and by level alone', async () => {
      expect(await search({ instrument: 'Piano', level: 'BEGINNER' }, 'RATING')).toEqual(['T05', 'T01', 'T18']);
      expect(await search({ level: 'ADVANCED' }, 'RATING')).toEqual([
        'T03',
        'T07',
        'T12',
        'T08',
        'T15',
        'T17',
        'T02',
        'T04',
      ]);
    });

    it('by genre, language and format', async () => {
      expect(await search({ genre: 'jazz' }, 'RATING')).toEqual(['T07', 'T05', 'T08', 'T15']);
      expect(await search({ genre: 'BOSSA   nova' })).toEqual(['T12']);
      expect(await search({ language: 'DE' }, 'RATING')).toEqual(['T03', 'T01', 'T15', 'T16', 'T04', 'T11']);
      expect(await search({ format: 'STUDENT_HOME' }, 'RATING')).toEqual(['T12', 'T06', 'T02', 'T13']);
    });

    it('by price range of one lesson duration in one currency', async () => {
      const price = { durationMinutes: 60, currency: 'EUR', minAmountMinor: 4000, maxAmountMinor: 6000 };
      expect(await search({ price }, 'PRICE_ASC')).toEqual([
        'T02',
        ...byId('T10', 'T20'),
        ...byId('T01', 'T16'),
        'T04',
        'T05',
      ]);
      expect(await search({ price }, 'PRICE_DESC')).toEqual([
        'T05',
        'T04',
        ...byId('T01', 'T16'),
        ...byId('T10', 'T20'),
        'T02',
      ]);
      expect(await search({ price: { durationMinutes: 45, currency: 'EUR' } })).toEqual(['T10']);
      expect(await search({ price: { durationMinutes: 30, currency: 'USD', maxAmountMinor: 5000 } })).toEqual(['T07']);
      expect(await search({ price: { durationMinutes: 60, currency: 'usd', minAmountMinor: 8500 } })).toEqual(['T07']);
    });

    it('combines filters (AND): guitar for beginners up to 50 EUR an hour, cheapest first', async () => {
      const filter = {
        instrument: 'guitar',
        level: 'BEGINNER',
        price: { durationMinutes: 60, currency: 'EUR', maxAmountMinor: 5000 },
      };
      expect(await search(filter, 'PRICE_ASC')).toEqual(['T11', 'T02', 'T20']);
    });

    it('by minimum rating', async () => {
      expect(await search({ minRating: 4.5 }, 'RATING')).toEqual(['T03', 'T07', 'T05', 'T12', 'T08', 'T01']);
    });
  });

  describe('text', () => {
    it('is case-, accent- and prefix-insensitive over name, headline, instruments and genres', async () => {
      // Maria Bach: a whole word of the name (3); Bächler, Bachata, Bachmann: prefixes of key fields (2);
      // "Bach suites" in a headline: a whole word outside the key fields (2). Equal scores by rating.
      const bach = ['T03', 'T01', 'T02', 'T16', 'T04'];
      expect(await search({ text: 'bach' })).toEqual(bach);
      expect(await search({ text: 'BÄCH' })).toEqual(bach);
      expect(await search({ text: 'bachata' })).toEqual(['T02']);
      expect(await search({ text: 'anna bächler' })).toEqual(['T01']);
      expect(await search({ text: 'nunez' })).toEqual(['T20']);
      expect(await search({ text: 'zoe harp' })).toEqual(['T17']);
      expect(await search({ text: 'suites' })).toEqual(['T04']);
    });

    it('requires every word and ranks whole-word and key-field matches first', async () => {
      expect(await search({ text: 'jazz piano' })).toEqual(['T07', 'T05', 'T15']);
      expect(await search({ text: 'guit' })).toEqual(['T12', 'T20', 'T02', ...byId('T11', 'T14')]);
      expect(await search({ text: 'guitar rock' })).toEqual(['T11']);
    });

    it('combines with filters and other sorts', async () => {
      expect(await search({ text: 'bach', language: 'de' }, 'RATING')).toEqual(['T03', 'T01', 'T16', 'T04']);
    });
  });

  describe('near', () => {
    it('finds teachers within the radius, nearest first, with their distance from the public position', async () => {
      const res = await page({ near: { ...BERLIN, radiusKm: 30 } }, 'DISTANCE', 100);
      expect(res.edges.map((e) => keyOf.get(e.node.id))).toEqual(['T01', 'T16', 'T20', 'T02']);
      expect(res.edges.map((e) => e.node.distanceKm)).toEqual([1.7, 2.2, 2.4, 27.5]);
      for (const { node } of res.edges) {
        expect(node.distanceKm).toBeCloseTo(
          haversineKm(BERLIN.latitude, BERLIN.longitude, node.location!.latitude, node.location!.longitude),
          1,
        );
      }
    });

    it('is exact at the edge: Munich is 503.9 km from Berlin, outside 500 km; Hamburg 255.4 km is inside 256 but not 255', async () => {
      expect(await search({ near: { ...BERLIN, radiusKm: 500 } }, 'DISTANCE')).toEqual([
        'T01',
        'T16',
        'T20',
        'T02',
        'T03',
        'T04',
      ]);
      expect(await search({ near: { ...BERLIN, radiusKm: 256 } }, 'DISTANCE')).toEqual([
        'T01',
        'T16',
        'T20',
        'T02',
        'T03',
        'T04',
      ]);
      expect(await search({ near: { ...BERLIN, radiusKm: 255 } }, 'DISTANCE')).toEqual([
        'T01',
        'T16',
        'T20',
        'T02',
        'T03',
      ]);
    });

    it('combines with a format (in-person teachers near me) and with other sorts', async () => {
      expect(await search({ near: { ...BERLIN, radiusKm: 30 }, format: 'TEACHER_STUDIO' }, 'DISTANCE')).toEqual([
        'T01',
        'T16',
        'T20',
      ]);
      expect(await search({ near: { ...BERLIN, radiusKm: 30 } }, 'RATING')).toEqual(['T01', 'T20', 'T02', 'T16']);
    });

    it('crosses the antimeridian', async () => {
      const res = await page({ near: { ...SUVA, radiusKm: 300 } }, 'DISTANCE', 10);
      expect(res.edges.map((e) => [keyOf.get(e.node.id), e.node.distanceKm])).toEqual([
        ['T13', 0.5],
        ['T14', 290.7],
      ]);
      expect(await search({ near: { latitude: -18.2, longitude: -179.9, radiusKm: 200 } }, 'DISTANCE')).toEqual([
        'T14',
        'T13',
      ]);
    });

    it('in New York: Manhattan and Brooklyn, not the other side of the Atlantic', async () => {
      expect(await search({ near: { latitude: 40.7128, longitude: -74.006, radiusKm: 10 } }, 'DISTANCE')).toEqual([
        'T07',
        'T08',
      ]);
    });
  });

  describe('results', () => {
    it('show the public position rounded to about 1 km, even when the search knows it better', async () => {
      const res = await page({ instrument: 'piano', near: { ...BERLIN, radiusKm: 5 } }, 'DISTANCE', 10);
      expect(res.edges.map((e) => e.node.location)).toEqual([{ latitude: 52.52, longitude: 13.38, approximate: true }]);
      const owner = (await t.gql.ok(TEACHER, { id: idOf.T01 })).teacher;
      expect(owner.location).toMatchObject({ latitude: 52.52, longitude: 13.38 });
    });

    it('without filters list every published teacher, by rating (RELEVANCE without text)', async () => {
      const all = await search(undefined);
      expect(all).toHaveLength(PUBLISHED.length);
      expect(all).toEqual(await search(undefined, 'RATING'));
      expect(all.slice(0, 8)).toEqual(['T03', 'T07', 'T05', 'T12', 'T08', 'T01', 'T15', 'T20']);
      expect(all.slice(8, 11)).toEqual(['T06', 'T17', 'T10']); // 4.2, 4.1, then 4.0 with two ratings before 4.0 with one
      expect(all.slice(-5)).toEqual(byId('T09', 'T11', 'T13', 'T14', 'T18'));
    });
  });

  describe('pagination', () => {
    const cases: Array<[string, object | undefined, string]> = [
      ['everyone by rating (many ties)', undefined, 'RATING'],
      ['price ascending with ties', { price: { durationMinutes: 60, currency: 'EUR' } }, 'PRICE_ASC'],
      ['price descending', { price: { durationMinutes: 60, currency: 'EUR' } }, 'PRICE_DESC'],
      ['distance', { near: { ...BERLIN, radiusKm: 500 } }, 'DISTANCE'],
      ['relevance', { text: 'ba' }, 'RELEVANCE'],
    ];

    it.each(cases)(
      'pages of 3 concatenate to the full result without repeats or gaps: %s',
      async (_label, filter, sort) => {
        const full = await search(filter, sort);
        expect(full.length).toBeGreaterThan(3);
        const paged: Key[] = [];
        let after: string | undefined;
        let pages = 0;
        for (;;) {
          const res = await page(filter, sort, 3, after);
          expect(res.edges.length).toBeLessThanOrEqual(3);
          expect(res.pageInfo.hasPreviousPage).toBe(after !== undefined);
          paged.push(...res.edges.map((e) => keyOf.get(e.node.id)!));
          pages++;
          if (!res.pageInfo.hasNextPage) break;
          expect(res.pageInfo.endCursor).toBe(res.edges[res.edges.length - 1].cursor);
          after = res.pageInfo.endCursor;
        }
        expect(paged).toEqual(full);
        expect(new Set(paged).size).toBe(paged.length);
        expect(pages).toBe(Math.ceil(full.length / 3));
      },
    );

    it('totalCount is every match of all pages, and costs a query only when selected', async () => {
      const COUNTED = `query($filter: TeacherSearchFilter, $sort: TeacherSort) {
        searchTeachers(filter: $filter, sort: $sort, first: 2) { totalCount edges { node { id } } }
      }`;
      for (const [filter, sort] of cases.map(([, f, s]) => [f, s] as const)) {
        const full = await search(filter, sort);
        const before = await t.metrics.storeCallCount('mongodb');
        const counted = (await t.gql.ok(COUNTED, { filter, sort })).searchTeachers;
        expect(await t.metrics.storeCallCount('mongodb')).toBe(before + 2);
        expect(counted.edges).toHaveLength(2);
        expect(counted.totalCount).toBe(full.length);
        const uncounted = await t.metrics.storeCallCount('mongodb');
        await page(filter, sort, 2);
        expect(await t.metrics.storeCallCount('mongodb')).toBe(uncounted + 1);
      }
    });

    it('keyset cursors: a teacher that moves behind the cursor comes again at its new place, and no unchanged teacher is skipped', async () => {
      const filter = { price: { durationMinutes: 60, currency: 'EUR' } };
      const before = await search(filter, 'PRICE_ASC');
      expect(before[0]).toBe('T11');
      const first = await page(filter, 'PRICE_ASC', 3);
      const setPrice = (amountMinor: number) =>
        accountOf.T11.gql.ok(UPSERT, { input: { offerings: [{ durationMinutes: 60, amountMinor, currency: 'EUR' }] } });
      await setPrice(9900);
      try {
        const next = await page(filter, 'PRICE_ASC', 100, first.pageInfo.endCursor);
        expect(next.edges.map((e) => keyOf.get(e.node.id))).toEqual([...before.slice(3), 'T11']);
      } finally {
        await setPrice(3000);
      }
    });
  });

  describe('bad input', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a radius above 500 km', { filter: { near: { ...BERLIN, radiusKm: 501 } } }, 'filter.near.radiusKm'],
      [
        'a latitude above 90',
        { filter: { near: { latitude: 91, longitude: 0, radiusKm: 5 } } },
        'filter.near.latitude',
      ],
      ['a page above 100', { first: 101 }, 'first'],
      [
        'a negative price',
        { filter: { price: { durationMinutes: 60, currency: 'EUR', minAmountMinor: -5 } } },
        'filter.price.minAmountMinor',
      ],
      [
        'a price range upside down',
        { filter: { price: { durationMinutes: 60, currency: 'EUR', minAmountMinor: 5000, maxAmountMinor: 4000 } } },
        'filter.price.maxAmountMinor',
      ],
      [
        'a currency that is not ISO 4217',
        { filter: { price: { durationMinutes: 60, currency: 'BTC' } } },
        'filter.price.currency',
      ],
      ['PRICE_ASC without a price filter', { sort: 'PRICE_ASC' }, 'sort'],
      ['DISTANCE without near', { sort: 'DISTANCE' }, 'sort'],
      ['text without a word of 2 letters', { filter: { text: 'a !' } }, 'filter.text'],
      ['an unknown language', { filter: { language: 'zz' } }, 'filter.language'],
      ['a rating above 5', { filter: { minRating: 5.5 } }, 'filter.minRating'],
      ['a cursor that is not one', { after: 'bm90IGEgY3Vyc29y' }, 'after'],
    ];

    it.each(cases)('%s is BAD_USER_INPUT naming the field', async (_label, variables, field) => {
      const res = await t.gql.request(SEARCH, variables);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(errorFields(res)).toContain(field);
    });

    it('an unknown sort or level is BAD_USER_INPUT', async () => {
      for (const variables of [{ sort: 'CHEAPEST' }, { filter: { level: 'EXPERT' } }, { first: 2.5 }]) {
        const res = await t.gql.request(SEARCH, variables);
        expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('a cursor of another search (other filter or sort) is refused', async () => {
      const { pageInfo } = await page({ instrument: 'piano' }, 'RATING', 2);
      for (const variables of [
        { filter: { instrument: 'guitar' }, sort: 'RATING' },
        { filter: { instrument: 'piano' }, sort: 'RELEVANCE' },
      ]) {
        const res = await t.gql.request(SEARCH, { ...variables, after: pageInfo.endCursor });
        expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(errorFields(res)).toEqual(['after']);
      }
    });
  });
});
