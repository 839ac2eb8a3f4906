import { canonicalTimeZone, FieldProblem, ValidationFailedError } from '@app/common';
import type { LessonOfferingInput, UpsertTeacherProfileInput } from './dto/upsert-teacher-profile.input';
import { isHttpUrl } from './dto/validators';
import { tagKey } from './search/text-tokens';
import { LessonFormat, type LessonOffering } from './teacher-scheduling';
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
 * Rules spanning fields of the input (run by the validation pipe with the field rules, so one answer
 * names every problem). Values failing their own field rule are skipped here.
 */
export function profileInputProblems(input: UpsertTeacherProfileInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const names = Array.isArray(input.instruments) ? input.instruments.map((i) => i?.name) : [];
  const keys = names.map((name) => (typeof name === 'string' ? tagKey(name) : undefined));
  keys.forEach((key, i) => {
    if (key === undefined) return;
    if (!key) problems.push({ field: `instruments.${i}.name`, message: 'name must contain letters or digits' });
    else if (keys.indexOf(key) !== i)
      problems.push({ field: `instruments.${i}.name`, message: `instrument "${names[i]}" is listed twice` });
  });
  (Array.isArray(input.genres) ? input.genres : []).forEach((g, i) => {
    if (typeof g === 'string' && g && !tagKey(g))
      problems.push({ field: `genres.${i}`, message: 'a genre must contain letters or digits' });
  });
  const durations = Array.isArray(input.offerings) ? input.offerings.map((o) => o?.durationMinutes) : [];
  durations.forEach((d, i) => {
    if (Number.isInteger(d) && durations.indexOf(d) !== i)
      problems.push({ field: `offerings.${i}.durationMinutes`, message: `a ${d}-minute lesson is offered twice` });
  });
  (Array.isArray(input.socialLinks) ? input.socialLinks : []).forEach((link, i) => {
    if (!link || !isHttpUrl(link.url) || !(link.network in NETWORK_DOMAINS) || onNetwork(link.network, link.url))
      return;
    const domains = NETWORK_DOMAINS[link.network as Exclude<SocialNetwork, SocialNetwork.WEBSITE>].join(' or ');
    problems.push({ field: `socialLinks.${i}.url`, message: `a ${link.network} link must be on ${domains}` });
  });
  return problems;
}

/**
 * The profile content after applying `input` (already validated, profileInputProblems included) to
 * `current` (null: a new profile). Omitted fields keep their value, null clears headline, bio and
 * location, lists replace lists. A new profile needs a slug.
 */
export function applyInput(
  current: TeacherProfileContent | null,
  input: UpsertTeacherProfileInput,
  userTimeZone: string,
): TeacherProfileContent {
  const slug = input.slug ?? current?.slug;
  if (!slug) throw ValidationFailedError.field('input.slug', 'slug is required to create a profile');
  const instruments = input.instruments ?? current?.instruments ?? [];
  const genres = distinct(input.genres ?? current?.genres ?? [], tagKey);
  const offerings = input.offerings ?? current?.offerings ?? [];
  const socialLinks = input.socialLinks ?? current?.socialLinks ?? [];

  const location =
    input.location === null
      ? null
      : input.location
        ? { ...input.location, region: input.location.region || null }
        : (current?.location ?? null);
  return {
    slug,
    headline: input.headline === null ? null : (input.headline ?? current?.headline ?? null) || null,
    bio: input.bio === null ? null : (input.bio ?? current?.bio ?? null) || null,
    instruments: instruments.map((i) => ({ name: i.name, levels: distinct(i.levels) })),
    genres,
    languages: distinct(input.languages ?? current?.languages ?? []),
    formats: distinct(input.formats ?? current?.formats ?? []),
    location,
    timeZone: canonicalTimeZone(input.timeZone ?? current?.timeZone ?? userTimeZone) ?? userTimeZone,
    offerings: [...offerings].map(storedOffering).sort((a, b) => a.durationMinutes - b.durationMinutes),
    policies: { ...DEFAULT_POLICIES, ...current?.policies, ...definedOnly(input.policies ?? {}) },
    socialLinks: socialLinks.map((l) => ({ network: l.network, url: l.url })),
    defaultMeetingUrl: keepOrClear(input.defaultMeetingUrl, current?.defaultMeetingUrl),
    studioAddress: keepOrClear(input.studioAddress, current?.studioAddress),
  };
}

/** An omitted field keeps its value, null (or an empty string) clears it. */
function keepOrClear(given: string | null | undefined, current: string | null | undefined): string | null {
  if (given === undefined) return current ?? null;
  return given || null;
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

/** The API names a price `amountMinor` (like every money amount); the store keeps `priceMinor`. */
function storedOffering(o: LessonOffering | LessonOfferingInput): LessonOffering {
  const priceMinor = 'amountMinor' in o ? o.amountMinor : o.priceMinor;
  return { durationMinutes: o.durationMinutes, priceMinor, currency: o.currency };
}
