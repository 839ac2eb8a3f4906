import { Schema } from 'mongoose';
import { LessonFormat } from './teacher-scheduling';
import { ProfileMedia, SkillLevel, SocialNetwork } from './teacher.types';

export const TEACHER_PROFILE_MODEL = 'TeacherProfile';

/** A stored teacher profile: the teacher's content plus fields derived for search. */
export interface TeacherProfileDocument {
  /** The teacher's user id. */
  _id: string;
  slug: string;
  displayName: string;
  headline: string | null;
  bio: string | null;
  instruments: Array<{ name: string; key: string; levels: SkillLevel[] }>;
  genres: string[];
  languages: string[];
  formats: LessonFormat[];
  location: { city: string; region: string | null; country: string; latitude: number; longitude: number } | null;
  /** Public (rounded) position and its unit vector, for distance search; null without a location. */
  geo: { lat: number; lng: number; x: number; y: number; z: number } | null;
  timeZone: string;
  offerings: Array<{ durationMinutes: number; priceMinor: number; currency: string }>;
  policies: {
    minNoticeHours: number;
    maxAdvanceDays: number;
    bufferMinutes: number;
    cancellationNoticeHours: number;
    lateCancellationFeePercent: number;
  };
  socialLinks: Array<{ network: SocialNetwork; url: string }>;
  /** Private (see TeacherProfileContent); absent on profiles written before they existed. */
  defaultMeetingUrl?: string | null;
  studioAddress?: string | null;
  published: boolean;
  publishedAt: Date | null;
  /** While the account is suspended the profile is unpublished; this remembers whether to republish it. */
  suspension?: { publishedBefore: boolean; since: Date } | null;
  /** Ids of media-feature items (set through the media API). Profiles stored before it have none. */
  media?: ProfileMedia;
  /** Sum and number of review ratings; ratingAverage = ratingSum / ratingCount (0 without ratings). */
  ratingSum: number;
  ratingCount: number;
  ratingAverage: number;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  /** Tagged filter keys: `i:piano`, `il:piano:BEGINNER`, `l:BEGINNER`, `g:jazz`, `lang:de`, `f:ONLINE`. */
  facetKeys: string[];
  search: {
    /** Prefixes of every word of name, headline, instruments and genres. */
    tokens: string[];
    /** Prefixes of the words of name, instruments and genres (ranked higher). */
    keyTokens: string[];
    /** Whole words of all of them (an exact word ranks higher than a prefix). */
    words: string[];
  };
}

const sub = { _id: false } as const;

export const TeacherProfileSchema = new Schema<TeacherProfileDocument>(
  {
    _id: { type: String, required: true },
    slug: { type: String, required: true },
    displayName: { type: String, required: true },
    headline: { type: String, default: null },
    bio: { type: String, default: null },
    instruments: [new Schema({ name: String, key: String, levels: [String] }, sub)],
    genres: [String],
    languages: [String],
    formats: [String],
    location: {
      type: new Schema({ city: String, region: String, country: String, latitude: Number, longitude: Number }, sub),
      default: null,
    },
    geo: { type: new Schema({ lat: Number, lng: Number, x: Number, y: Number, z: Number }, sub), default: null },
    timeZone: { type: String, required: true },
    offerings: [new Schema({ durationMinutes: Number, priceMinor: Number, currency: String }, sub)],
    policies: new Schema(
      {
        minNoticeHours: Number,
        maxAdvanceDays: Number,
        bufferMinutes: Number,
        cancellationNoticeHours: Number,
        lateCancellationFeePercent: Number,
      },
      sub,
    ),
    socialLinks: [new Schema({ network: String, url: String }, sub)],
    defaultMeetingUrl: { type: String, default: null },
    studioAddress: { type: String, default: null },
    published: { type: Boolean, default: false },
    publishedAt: { type: Date, default: null },
    suspension: { type: new Schema({ publishedBefore: Boolean, since: Date }, sub), default: null },
    media: {
      type: new Schema({ photoId: String, galleryIds: [String], introVideoId: String, audioClipIds: [String] }, sub),
      default: () => ({ photoId: null, galleryIds: [], introVideoId: null, audioClipIds: [] }),
    },
    ratingSum: { type: Number, default: 0 },
    ratingCount: { type: Number, default: 0 },
    ratingAverage: { type: Number, default: 0 },
    revision: { type: Number, default: 1 },
    createdAt: Date,
    updatedAt: Date,
    facetKeys: [String],
    search: new Schema({ tokens: [String], keyTokens: [String], words: [String] }, sub),
  },
  { collection: 'teacher_profiles', versionKey: false, minimize: false },
);

// Race-safe slugs: a duplicate is refused by the index, not by a read before the write.
TeacherProfileSchema.index({ slug: 1 }, { unique: true });
// Search: every query matches published profiles, then narrows by one of these (multikey on arrays;
// two arrays never share an index, which MongoDB forbids).
TeacherProfileSchema.index({ published: 1, facetKeys: 1 });
TeacherProfileSchema.index({ published: 1, 'search.tokens': 1 });
TeacherProfileSchema.index({
  published: 1,
  'offerings.durationMinutes': 1,
  'offerings.currency': 1,
  'offerings.priceMinor': 1,
});
TeacherProfileSchema.index({ published: 1, 'geo.lat': 1, 'geo.lng': 1 });
TeacherProfileSchema.index({ published: 1, ratingAverage: -1, ratingCount: -1, _id: 1 });
