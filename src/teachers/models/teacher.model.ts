import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { LessonFormat } from '../teacher-scheduling';
import { SkillLevel, SocialNetwork } from '../teacher.types';

@ObjectType('TaughtInstrument')
export class TaughtInstrumentModel {
  @Field()
  name: string;

  @Field(() => [SkillLevel])
  levels: SkillLevel[];
}

@ObjectType('TeacherLocation', { description: 'Where the teacher teaches in person.' })
export class TeacherLocationModel {
  @Field()
  city: string;

  @Field(() => String, { nullable: true })
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
  @Field(() => Int)
  durationMinutes: number;

  @Field(() => Int, { description: 'Minor units of currency (cents for EUR, yen for JPY).' })
  priceMinor: number;

  @Field({ description: 'ISO 4217.' })
  currency: string;
}

@ObjectType('BookingPolicies')
export class BookingPoliciesModel {
  @Field(() => Int)
  minNoticeHours: number;

  @Field(() => Int)
  maxAdvanceDays: number;

  @Field(() => Int)
  bufferMinutes: number;

  @Field(() => Int)
  cancellationNoticeHours: number;

  @Field(() => Int)
  lateCancellationFeePercent: number;
}

@ObjectType('SocialLink')
export class SocialLinkModel {
  @Field(() => SocialNetwork)
  network: SocialNetwork;

  @Field()
  url: string;
}

@ObjectType('Teacher', {
  description:
    "A teacher's profile; its id is the teacher's user id. Unpublished profiles are visible to the teacher and admins only.",
})
export class TeacherModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'URL name of the public page.' })
  slug: string;

  @Field({ description: "The teacher's display name (as of the last profile edit)." })
  displayName: string;

  @Field(() => String, { nullable: true })
  headline: string | null;

  @Field(() => String, { nullable: true })
  bio: string | null;

  @Field(() => [TaughtInstrumentModel])
  instruments: TaughtInstrumentModel[];

  @Field(() => [String])
  genres: string[];

  @Field(() => [String], { description: 'ISO 639-1 codes.' })
  languages: string[];

  @Field(() => [LessonFormat])
  formats: LessonFormat[];

  @Field(() => TeacherLocationModel, { nullable: true })
  location: TeacherLocationModel | null;

  @Field({ description: 'IANA time zone the teacher schedules in.' })
  timeZone: string;

  @Field(() => [LessonOfferingModel], { description: 'Shortest first.' })
  offerings: LessonOfferingModel[];

  @Field(() => BookingPoliciesModel)
  policies: BookingPoliciesModel;

  @Field(() => [SocialLinkModel])
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

  @Field()
  published: boolean;

  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;

  @Field(() => [ID], { description: 'Photos and videos of the profile (managed by the media API).' })
  mediaIds: string[];

  @Field(() => Float, { description: 'Average review rating, 0-5 (0 without reviews), 2 decimals.' })
  ratingAverage: number;

  @Field(() => Int)
  ratingCount: number;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => Float, {
    nullable: true,
    description:
      'In searchTeachers with filter.near: km from that point to the public position (0.1 km precision); null elsewhere.',
  })
  distanceKm: number | null;
}

@ObjectType('TeacherConnection')
export class TeacherConnection extends Paginated(TeacherModel) {}
