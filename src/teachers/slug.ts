/** Lower-case letters and digits in groups joined by single hyphens: `clara-whitfield-piano`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MIN = 3;
export const SLUG_MAX = 60;

/** Slugs that would collide with the web client's own routes. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'graphql',
  'login',
  'logout',
  'signup',
  'sign-up',
  'log-in',
  'me',
  'new',
  'edit',
  'search',
  'settings',
  'teachers',
  'teacher',
  'students',
  'bookings',
  'help',
  'support',
  'about',
  'terms',
  'privacy',
]);

/** Why a (trimmed, lower-cased) slug is unacceptable, or null. */
export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN || slug.length > SLUG_MAX) return `slug must be ${SLUG_MIN} to ${SLUG_MAX} characters`;
  if (!SLUG_PATTERN.test(slug)) return 'slug may hold only a-z, 0-9 and single hyphens between them';
  if (RESERVED_SLUGS.has(slug)) return `slug "${slug}" is reserved`;
  return null;
}
