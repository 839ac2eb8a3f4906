import { isAdmin, Viewer } from '../auth/viewer';
import { TeacherModel } from './models/teacher.model';
import { roundCoordinate } from './search/geo';
import { profileMediaIds, type TeacherProfile } from './teacher.types';

/** Whether the viewer sees everything of the profile (its teacher or an admin). */
export function isPrivileged(profile: TeacherProfile, viewer: Viewer | null | undefined): boolean {
  return !!viewer && (viewer.userId === profile.id || isAdmin(viewer));
}

/** Whether the viewer may see the profile at all: published, or theirs, or an admin. */
export function isVisible(profile: TeacherProfile, viewer: Viewer | null | undefined): boolean {
  return profile.published || isPrivileged(profile, viewer);
}

/** The GraphQL view: the exact position only for the teacher and admins, everyone else gets it rounded. */
export function presentTeacher(
  profile: TeacherProfile,
  viewer: Viewer | null | undefined,
  distanceKm: number | null = null,
): TeacherModel {
  const exact = isPrivileged(profile, viewer);
  const loc = profile.location;
  return {
    id: profile.id,
    slug: profile.slug,
    displayName: profile.displayName,
    headline: profile.headline,
    bio: profile.bio,
    instruments: profile.instruments,
    genres: profile.genres,
    languages: profile.languages,
    formats: profile.formats,
    location: loc
      ? {
          city: loc.city,
          region: loc.region,
          country: loc.country,
          latitude: exact ? loc.latitude : roundCoordinate(loc.latitude),
          longitude: exact ? loc.longitude : roundCoordinate(loc.longitude),
          approximate: !exact,
        }
      : null,
    timeZone: profile.timeZone,
    offerings: profile.offerings.map((o) => ({
      durationMinutes: o.durationMinutes,
      amountMinor: o.priceMinor,
      currency: o.currency,
    })),
    policies: profile.policies,
    socialLinks: profile.socialLinks,
    // Private: lessons show them to their participants (bookings' LessonPlace).
    defaultMeetingUrl: exact ? (profile.defaultMeetingUrl ?? null) : null,
    studioAddress: exact ? (profile.studioAddress ?? null) : null,
    published: profile.published,
    publishedAt: profile.publishedAt,
    mediaIds: profileMediaIds(profile.media),
    profileMedia: profile.media,
    ratingAverage: Math.round(profile.ratingAverage * 100) / 100,
    ratingCount: profile.ratingCount,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    distanceKm,
  };
}
