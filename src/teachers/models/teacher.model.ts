import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { CurrencyScalar, Paginated, TimeZoneScalar } from '@app/common';
import { LessonFormat } from '../teacher-scheduling';
import { ProfileMedia, SkillLevel, SocialNetwork } from '../teacher.types';

@ObjectType('TaughtInstrument', { description: 'An instrument a teacher teaches, with levels.' })
export class TaughtInstrumentModel {
  @Field({ description: 'The instrument as the teacher wrote it, e.g. "Piano".' })
  name: string;

  @Field(() => [SkillLevel], { description: 'The levels taught.' })
  levels: SkillLevel[];
}

@ObjectType('TeacherLocation', { description: 'Where the teacher teaches in person.' })
export class TeacherLocationModel {
  @Field({ description: 'City.' })
  city: string;

  @Field(() => String, { nullable: true, description: 'State, province or county, if given.' })
  region: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2.' })
  country: string;

  @Field(() => Float, { description: 'Rounded to 2 decimals (about 1 km) unless you are the teacher or an admin.' })
  latitude: number;

  @Field(() => Float, { description: 'Rounded to 2 decimals (about 1 km) unless you are the teacher or an admin.' })
  longitude: number;

  @Field({ description: 'Whether latitude and longitude are the rounded public position.' })
  approximate: boolean;
}

@ObjectType('LessonOffering', { description: 'A lesson length and its price.' })
export class LessonOfferingModel {
  @Field(() => Int, { description: 'Lesson length in minutes.' })
  durationMinutes: number;

  @Field(() => Int, { description: 'The price: integer minor units of the currency (cents for EUR, yen for JPY).' })
  amountMinor: number;

  @Field(() => CurrencyScalar, { description: 'The currency of the price.' })
  currency: string;
}

@ObjectType('BookingPolicies', { description: "A teacher's booking and cancellation rules." })
export class BookingPoliciesModel {
  @Field(() => Int, { description: 'A lesson must be booked at least this many hours ahead.' })
  minNoticeHours: number;

  @Field(() => Int, { description: 'And at most this many days ahead.' })
  maxAdvanceDays: number;

  @Field(() => Int, { description: 'Kept free before and after each lesson.' })
  bufferMinutes: number;

  @Field(() => Int, { description: 'Cancelling later than this many hours before the start is late.' })
  cancellationNoticeHours: number;

  @Field(() => Int, { description: 'Fee on a late cancellation by the student, percent of the price.' })
  lateCancellationFeePercent: number;
}

@ObjectType('SocialLink', { description: 'A link to the teacher elsewhere.' })
export class SocialLinkModel {
  @Field(() => SocialNetwork, { description: 'The network the link is on.' })
  network: SocialNetwork;

  @Field({ description: 'Absolute http(s) URL.' })
  url: string;
}

@ObjectType('Teacher', {
  description:
    "A teacher's profile; its id is the teacher's user id. Unpublished profiles are visible to the teacher and admins only.",
})
export class TeacherModel {
  @Field(() => ID, { description: "The teacher's user id." })
  id: string;

  @Field({ description: 'URL name of the public page.' })
  slug: string;

  @Field({ description: "The teacher's display name (as of the last profile edit)." })
  displayName: string;

  @Field(() => String, { nullable: true, description: 'One line under the name.' })
  headline: string | null;

  @Field(() => String, { nullable: true, description: 'About the teacher.' })
  bio: string | null;

  @Field(() => [TaughtInstrumentModel], { description: 'Instruments taught, with levels.' })
  instruments: TaughtInstrumentModel[];

  @Field(() => [String], { description: 'Genres taught, e.g. "Jazz".' })
  genres: string[];

  @Field(() => [String], { description: 'ISO 639-1 codes.' })
  languages: string[];

  @Field(() => [LessonFormat], { description: 'Where lessons take place.' })
  formats: LessonFormat[];

  @Field(() => TeacherLocationModel, {
    nullable: true,
    description: 'Where the teacher teaches in person; null when online only or not given.',
  })
  location: TeacherLocationModel | null;

  @Field(() => TimeZoneScalar, { description: 'The time zone the teacher schedules in.' })
  timeZone: string;

  @Field(() => [LessonOfferingModel], { description: 'Shortest first.' })
  offerings: LessonOfferingModel[];

  @Field(() => BookingPoliciesModel, { description: 'Booking and cancellation rules.' })
  policies: BookingPoliciesModel;

  @Field(() => [SocialLinkModel], { description: 'Links to the teacher elsewhere.' })
  socialLinks: SocialLinkModel[];

  @Field(() => String, {
    nullable: true,
    description:
      'Private: the link of your online lessons unless one is set per lesson. Null unless you are the teacher or an admin; participants see it on the lesson (Lesson.place).',
  })
  defaultMeetingUrl: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Private: the studio's street address. Null unless you are the teacher or an admin; the participants of a TEACHER_STUDIO lesson see it on the lesson (Lesson.place).",
  })
  studioAddress: string | null;

  @Field({ description: 'Whether the profile is public (in search and bookable).' })
  published: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was last published; null if never.' })
  publishedAt: Date | null;

  @Field(() => [ID], {
    description: 'Ids of the media on the profile (photo, gallery, intro video, sound clips).',
    deprecationReason: 'Use photo, gallery, introVideo and audioClips, which are Media objects with URLs.',
  })
  mediaIds: string[];

  /** The media references, for the media feature's fields (photo, gallery...); not a GraphQL field. */
  profileMedia: ProfileMedia;

  @Field(() => Float, { description: 'Average review rating, 0-5 (0 without reviews), 2 decimals.' })
  ratingAverage: number;

  @Field(() => Int, { description: 'Number of visible reviews counted in the rating.' })
  ratingCount: number;

  @Field(() => Date, { description: 'When the profile was created.' })
  createdAt: Date;

  @Field(() => Date, { description: 'When the profile last changed.' })
  updatedAt: Date;

  @Field(() => Float, {
    nullable: true,
    description:
      'In searchTeachers with filter.near: km from that point to the public position (0.1 km precision); null elsewhere.',
  })
  distanceKm: number | null;
}

@ObjectType('TeacherConnection', { description: 'A page of teacher search results.' })
export class TeacherConnection extends Paginated(TeacherModel, {
  nodeName: 'Teacher',
  totalCount:
    'The number of published teachers matching the filter (all pages); one count query, run only when selected.',
}) {}
