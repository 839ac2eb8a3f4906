import { registerEnumType } from '@nestjs/graphql';
import type { BookingPolicies, LessonFormat, LessonOffering } from './teacher-scheduling';

export enum SkillLevel {
  BEGINNER = 'BEGINNER',
  INTERMEDIATE = 'INTERMEDIATE',
  ADVANCED = 'ADVANCED',
}
registerEnumType(SkillLevel, {
  name: 'SkillLevel',
  description: 'A level a teacher teaches an instrument at.',
  valuesMap: {
    BEGINNER: { description: 'New to the instrument.' },
    INTERMEDIATE: { description: 'Plays with some experience.' },
    ADVANCED: { description: 'Plays well; refines technique and repertoire.' },
  },
});

export enum SocialNetwork {
  WEBSITE = 'WEBSITE',
  INSTAGRAM = 'INSTAGRAM',
  YOUTUBE = 'YOUTUBE',
  FACEBOOK = 'FACEBOOK',
  TIKTOK = 'TIKTOK',
  X = 'X',
  SOUNDCLOUD = 'SOUNDCLOUD',
  SPOTIFY = 'SPOTIFY',
  BANDCAMP = 'BANDCAMP',
}
registerEnumType(SocialNetwork, {
  name: 'SocialNetwork',
  description: "Where a social link points. WEBSITE is any http(s) site; the others must be on that network's domain.",
  valuesMap: {
    WEBSITE: { description: 'Any http(s) site.' },
    INSTAGRAM: { description: 'A link on instagram.com.' },
    YOUTUBE: { description: 'A link on youtube.com or youtu.be.' },
    FACEBOOK: { description: 'A link on facebook.com or fb.com.' },
    TIKTOK: { description: 'A link on tiktok.com.' },
    X: { description: 'A link on x.com or twitter.com.' },
    SOUNDCLOUD: { description: 'A link on soundcloud.com.' },
    SPOTIFY: { description: 'A link on spotify.com.' },
    BANDCAMP: { description: 'A link on bandcamp.com.' },
  },
});

export interface TaughtInstrument {
  /** As the teacher wrote it, e.g. "Piano" or "Électric guitar". */
  name: string;
  levels: SkillLevel[];
}

export interface TeacherLocation {
  city: string;
  region: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  latitude: number;
  longitude: number;
}

export interface SocialLink {
  network: SocialNetwork;
  url: string;
}

/** What a teacher edits: the profile without identity, derived and bookkeeping fields. */
export interface TeacherProfileContent {
  slug: string;
  headline: string | null;
  bio: string | null;
  instruments: TaughtInstrument[];
  genres: string[];
  /** ISO 639 language codes, lower case. */
  languages: string[];
  formats: LessonFormat[];
  location: TeacherLocation | null;
  timeZone: string;
  offerings: LessonOffering[];
  policies: BookingPolicies;
  socialLinks: SocialLink[];
  /**
   * Private: the link of the teacher's online lessons unless one is set per lesson. Shown to the
   * teacher, admins and the participants of the teacher's online lessons.
   */
  defaultMeetingUrl?: string | null;
  /**
   * Private: the studio's street address. The public profile shows `location` rounded to about
   * 1 km; the participants of a TEACHER_STUDIO lesson see this and the exact position.
   */
  studioAddress?: string | null;
}

/** A profile as the services see it (the stored document without search fields). */
export interface TeacherProfile extends TeacherProfileContent {
  /** The teacher's user id. */
  id: string;
  displayName: string;
  published: boolean;
  publishedAt: Date | null;
  /** Set while the teacher's account is suspended (the profile is then unpublished). */
  suspended?: boolean;
  /** Media shown on the profile (ids of the media feature's items, which checks them when they are set). */
  media: ProfileMedia;
  ratingAverage: number;
  ratingCount: number;
  /** Bumped by every change a teacher or admin makes; edits are conditional on it. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The media of a profile, by id: a photo, an ordered gallery, an intro video and sound clips. */
export interface ProfileMedia {
  photoId: string | null;
  galleryIds: string[];
  introVideoId: string | null;
  audioClipIds: string[];
}

export const NO_PROFILE_MEDIA: ProfileMedia = { photoId: null, galleryIds: [], introVideoId: null, audioClipIds: [] };

/** Ids of every media of a profile, photo first. */
export function profileMediaIds(media: ProfileMedia): string[] {
  return [media.photoId, ...media.galleryIds, media.introVideoId, ...media.audioClipIds].filter(
    (id): id is string => !!id,
  );
}

export const DEFAULT_POLICIES: BookingPolicies = {
  minNoticeHours: 24,
  maxAdvanceDays: 90,
  bufferMinutes: 0,
  cancellationNoticeHours: 24,
  lateCancellationFeePercent: 0,
};

/** Input limits, shared by validation, documentation and tests. */
export const LIMITS = {
  headline: 120,
  bio: 2000,
  instruments: 10,
  genres: 15,
  languages: 10,
  offerings: 10,
  socialLinks: 10,
  tagLength: 40,
  minDurationMinutes: 15,
  maxDurationMinutes: 240,
  maxPriceMinor: 100_000_000,
  maxRadiusKm: 500,
  gallery: 12,
  audioClips: 5,
} as const;
