import { canonicalTimeZone, FieldProblem, ValidationFailedError } from '@app/common';
import type { UpsertTeacherProfileInput } from './dto/upsert-teacher-profile.input';
import { tagKey } from './search/text-tokens';
import { LessonFormat } from './teacher-scheduling';
import { DEFAULT_POLICIES, SocialNetwork, TeacherProfileContent } from './teacher.types';

/** Domains a link of each network must be on (the domain itself or a subdomain). */
const NETWORK_DOMAINS: Record<Exclude<SocialNetwork, SocialNetwork.WEBSITE>, string[]> = {
  [SocialNetwork.INSTAGRAM]: ['instagram.com'],
  [SocialNetwork.YOUTUBE]: ['youtube.com', 'youtu.be'],
  [SocialNetwork.FACEBOOK]: ['facebook.com', 'fb.com'],
  [SocialNetwork.TIKTOK]: ['tiktok.com'],
  [SocialNetwork.X]: ['x.com', 'twitter.com'],
  [SocialNetwork.SOUNDCLOUD]: ['soundcloud.com'],
  [SocialNetwork.SPOTIFY]: ['spotify.com'],
  [SocialNetwork.BANDCAMP]: ['bandcamp.com'],
};

function onNetwork(network: SocialNetwork, url: string): boolean {
  if (network === SocialNetwork.WEBSITE) return true;
  const host = new URL(url).hostname.toLowerCase();
  return NETWORK_DOMAINS[network].some((d) => host === d || host.endsWith(`.${d}`));
}

const distinct = <T>(values: readonly T[], key: (v: T) => string = String) => {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(key(v)) && seen.add(key(v)));
};

/**
 * The profile content after applying `input` to `current` (null: a new profile). Omitted (or null)
 * fields keep their value, null clears headline, bio and location, lists replace lists. Checks the
 * rules that span fields; BAD_USER_INPUT names each offending field.
 */
export function applyInput(
  current: TeacherProfileContent | null,
  input: UpsertTeacherProfileInput,
  userTimeZone: string,
): TeacherProfileContent {
  const problems: FieldProblem[] = [];
  const slug = input.slug ?? current?.slug;
  if (!slug) problems.push({ field: 'input.slug', message: 'slug is required to create a profile' });

  const instruments = input.instruments ?? current?.instruments ?? [];
  const keys = instruments.map((i) => tagKey(i.name));
  keys.forEach((key, i) => {
    if (!key) problems.push({ field: `input.instruments.${i}.name`, message: 'name must contain letters or digits' });
    else if (keys.indexOf(key) !== i)
      problems.push({
        field: `input.instruments.${i}.name`,
        message: `instrument "${instruments[i].name}" is listed twice`,
      });
  });
  const genres = distinct(input.genres ?? current?.genres ?? [], tagKey);
  genres.forEach((g, i) => {
    if (!tagKey(g)) problems.push({ field: `input.genres.${i}`, message: 'a genre must contain letters or digits' });
  });

  const offerings = input.offerings ?? current?.offerings ?? [];
  const durations = offerings.map((o) => o.durationMinutes);
  durations.forEach((d, i) => {
    if (durations.indexOf(d) !== i)
      problems.push({
        field: `input.offerings.${i}.durationMinutes`,
        message: `a ${d}-minute lesson is offered twice`,
      });
  });

  const socialLinks = input.socialLinks ?? current?.socialLinks ?? [];
  socialLinks.forEach((link, i) => {
    if (!onNetwork(link.network, link.url)) {
      const domains = NETWORK_DOMAINS[link.network as Exclude<SocialNetwork, SocialNetwork.WEBSITE>].join(' or ');
      problems.push({ field: `input.socialLinks.${i}.url`, message: `a ${link.network} link must be on ${domains}` });
    }
  });
  if (problems.length) throw new ValidationFailedError(problems);

  const location =
    input.location === null
      ? null
      : input.location
        ? { ...input.location, region: input.location.region || null }
        : (current?.location ?? null);
  return {
    slug: slug!,
    headline: input.headline === null ? null : (input.headline ?? current?.headline ?? null) || null,
    bio: input.bio === null ? null : (input.bio ?? current?.bio ?? null) || null,
    instruments: instruments.map((i) => ({ name: i.name, levels: distinct(i.levels) })),
    genres,
    languages: distinct(input.languages ?? current?.languages ?? []),
    formats: distinct(input.formats ?? current?.formats ?? []),
    location,
    timeZone: canonicalTimeZone(input.timeZone ?? current?.timeZone ?? userTimeZone) ?? userTimeZone,
    offerings: [...offerings]
      .map((o) => ({ durationMinutes: o.durationMinutes, priceMinor: o.priceMinor, currency: o.currency }))
      .sort((a, b) => a.durationMinutes - b.durationMinutes),
    policies: { ...DEFAULT_POLICIES, ...current?.policies, ...definedOnly(input.policies ?? {}) },
    socialLinks: socialLinks.map((l) => ({ network: l.network, url: l.url })),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** What a profile lacks to be published (empty when complete). */
export function missingForPublication(content: TeacherProfileContent): string[] {
  const missing: string[] = [];
  if (content.instruments.length === 0) missing.push('instruments');
  if (content.offerings.length === 0) missing.push('offerings');
  if (content.formats.length === 0) missing.push('formats');
  if (!content.location && content.formats.some((f) => f !== LessonFormat.ONLINE)) missing.push('location');
  return missing;
}
