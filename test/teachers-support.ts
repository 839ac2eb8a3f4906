import { ulid } from 'ulid';
import { createAccount, TestAccount, TestApp } from '@app/testing';

/** Every field of Teacher, for assertions on whole profiles. */
export const TEACHER_FIELDS = `id slug displayName headline bio instruments { name levels } genres languages formats
  location { city region country latitude longitude approximate } timeZone offerings { durationMinutes amountMinor currency }
  policies { minNoticeHours maxAdvanceDays bufferMinutes cancellationNoticeHours lateCancellationFeePercent }
  socialLinks { network url } published publishedAt mediaIds ratingAverage ratingCount createdAt updatedAt distanceKm`;

export const UPSERT = `mutation Upsert($input: UpsertTeacherProfileInput!) { upsertMyTeacherProfile(input: $input) { ${TEACHER_FIELDS} } }`;
export const PUBLISH = `mutation { publishMyTeacherProfile { ${TEACHER_FIELDS} } }`;
export const UNPUBLISH = `mutation { unpublishMyTeacherProfile { ${TEACHER_FIELDS} } }`;
export const TEACHER = `query Teacher($id: ID!) { teacher(id: $id) { ${TEACHER_FIELDS} user { id displayName } } }`;
export const TEACHER_BY_SLUG = `query BySlug($slug: String!) { teacherBySlug(slug: $slug) { ${TEACHER_FIELDS} } }`;

export const uniqueSlug = (prefix = 't') => `${prefix}-${ulid().toLowerCase()}`;

/** A complete profile input: publishable as it is. */
export function completeProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    slug: uniqueSlug(),
    headline: 'Classical piano for adults',
    bio: 'Twenty years of teaching.',
    instruments: [{ name: 'Piano', levels: ['BEGINNER', 'INTERMEDIATE'] }],
    genres: ['Classical'],
    languages: ['en', 'de'],
    formats: ['ONLINE', 'TEACHER_STUDIO'],
    location: { city: 'Berlin', region: 'Berlin', country: 'DE', latitude: 52.516275, longitude: 13.377704 },
    offerings: [
      { durationMinutes: 60, amountMinor: 5000, currency: 'EUR' },
      { durationMinutes: 30, amountMinor: 2800, currency: 'EUR' },
    ],
    policies: {
      minNoticeHours: 12,
      maxAdvanceDays: 60,
      bufferMinutes: 15,
      cancellationNoticeHours: 24,
      lateCancellationFeePercent: 50,
    },
    socialLinks: [
      { network: 'WEBSITE', url: 'https://example.com/piano' },
      { network: 'INSTAGRAM', url: 'https://www.instagram.com/pianist' },
    ],
    ...overrides,
  };
}

/** A TEACHER account with a profile made through the API; published unless told otherwise. */
export async function teacherWithProfile(
  t: TestApp,
  input: Record<string, unknown> = completeProfile(),
  opts: { publish?: boolean; displayName?: string; timeZone?: string } = {},
): Promise<TestAccount & { profile: Record<string, any> }> {
  const account = await createAccount(t, 'TEACHER', {
    ...(opts.displayName ? { displayName: opts.displayName } : {}),
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
  });
  let profile = (await account.gql.ok<{ upsertMyTeacherProfile: Record<string, any> }>(UPSERT, { input }))
    .upsertMyTeacherProfile;
  if (opts.publish !== false)
    profile = (await account.gql.ok<{ publishMyTeacherProfile: Record<string, any> }>(PUBLISH)).publishMyTeacherProfile;
  return { ...account, profile };
}

/** Runs `fn` over `items` with at most `n` in flight, results in item order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** The fields of a BAD_USER_INPUT / CONFLICT error, sorted. */
export function errorFields(res: { errors?: Array<{ extensions?: Record<string, any> }> }): string[] {
  return ((res.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string }>).map((f) => f.field).sort();
}
