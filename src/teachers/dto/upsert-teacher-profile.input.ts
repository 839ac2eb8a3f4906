import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ADDRESS_MAX_LENGTH,
  CurrencyScalar,
  InputRules,
  IsAddress,
  IsIanaTimeZone,
  IsMeetingUrl,
  NullClears,
  NullMeansOmitted,
  TimeZoneScalar,
} from '@app/common';
import { profileInputProblems } from '../teacher-profile.rules';
import { LessonFormat } from '../teacher-scheduling';
import { LIMITS, SkillLevel, SocialNetwork } from '../teacher.types';
import {
  IsCountryCode,
  IsHttpUrl,
  IsIso4217,
  IsLanguageCode,
  IsSlug,
  lower,
  lowerEach,
  trim,
  trimEach,
  upper,
} from './validators';

@InputType({ description: 'An instrument you teach, with levels.' })
export class TaughtInstrumentInput {
  @Field({ description: 'e.g. "Piano", "Electric guitar" (1-40 characters).' })
  @Transform(trim)
  @IsString()
  @Length(1, LIMITS.tagLength)
  name: string;

  @Field(() => [SkillLevel], { description: 'The levels taught (1-3).' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(3)
  @IsEnum(SkillLevel, { each: true })
  levels: SkillLevel[];
}

@InputType({ description: 'Where you teach in person (exact; shown publicly rounded to about 1 km).' })
export class TeacherLocationInput {
  @Field({ description: 'City (1-80 characters).' })
  @Transform(trim)
  @IsString()
  @Length(1, 80)
  city: string;

  @Field(() => String, { nullable: true, description: 'State, province or county.' })
  @IsOptional()
  @NullMeansOmitted()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  region?: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2 country code, e.g. DE.' })
  @Transform(upper)
  @IsCountryCode()
  country: string;

  @Field(() => Float, { description: 'Exact latitude, -90 to 90 (shown publicly rounded).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude: number;

  @Field(() => Float, { description: 'Exact longitude, -180 to 180 (shown publicly rounded).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude: number;
}

@InputType({ description: 'A lesson length and its price.' })
export class LessonOfferingInput {
  @Field(() => Int, {
    description: `Lesson length in minutes (${LIMITS.minDurationMinutes}-${LIMITS.maxDurationMinutes}); each duration at most once per profile.`,
  })
  @IsInt()
  @Min(LIMITS.minDurationMinutes)
  @Max(LIMITS.maxDurationMinutes)
  durationMinutes: number;

  @Field(() => Int, { description: 'The price: minor units of the currency (cents for EUR, yen for JPY), 0 or more.' })
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxPriceMinor)
  amountMinor: number;

  @Field(() => CurrencyScalar, { description: 'The currency of the price, e.g. EUR.' })
  @Transform(upper)
  @IsIso4217()
  currency: string;
}

@InputType({ description: 'Omitted fields keep their current value (or the default on a new profile).' })
export class BookingPoliciesInput {
  @Field(() => Int, {
    nullable: true,
    description: 'A lesson must be booked at least this many hours ahead (0-720; default 24).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  minNoticeHours?: number;

  @Field(() => Int, { nullable: true, description: 'And at most this many days ahead (1-730; default 90).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  maxAdvanceDays?: number;

  @Field(() => Int, { nullable: true, description: 'Kept free before and after each lesson (0-240; default 0).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  bufferMinutes?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Cancelling later than this many hours before the start is late (0-720; default 24).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  cancellationNoticeHours?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Fee on a late cancellation, percent of the price (0-100; default 0).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  lateCancellationFeePercent?: number;
}

@InputType({ description: 'A link to you elsewhere.' })
export class SocialLinkInput {
  @Field(() => SocialNetwork, { description: 'The network the link is on.' })
  @IsEnum(SocialNetwork)
  network: SocialNetwork;

  @Field({ description: "Absolute http(s) URL; for a network other than WEBSITE it must be on that network's domain." })
  @Transform(trim)
  @IsHttpUrl()
  url: string;
}

@InputType({
  description:
    'Creates the profile (slug required) or changes the given fields of it. Omitted fields stay as they are; ' +
    'a given list replaces the whole list; null clears headline, bio and location (and is refused elsewhere).',
})
@InputRules(profileInputProblems)
export class UpsertTeacherProfileInput {
  @Field(() => String, {
    nullable: true,
    description: 'URL name of the public page: 3-60 of a-z, 0-9 and single hyphens (upper case is lowered). Unique.',
  })
  @IsOptional()
  @Transform(lower)
  @IsSlug()
  slug?: string | null;

  @Field(() => String, { nullable: true, description: `At most ${LIMITS.headline} characters.` })
  @IsOptional()
  @NullClears()
  @Transform(trim)
  @IsString()
  @MaxLength(LIMITS.headline)
  headline?: string | null;

  @Field(() => String, { nullable: true, description: `At most ${LIMITS.bio} characters.` })
  @IsOptional()
  @NullClears()
  @Transform(trim)
  @IsString()
  @MaxLength(LIMITS.bio)
  bio?: string | null;

  @Field(() => [TaughtInstrumentInput], {
    nullable: true,
    description: 'The instruments taught, with levels (replaces the list).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.instruments)
  @ValidateNested({ each: true })
  @Type(() => TaughtInstrumentInput)
  instruments?: TaughtInstrumentInput[] | null;

  @Field(() => [String], { nullable: true, description: 'e.g. "Jazz", "Bachata" (each 1-40 characters).' })
  @IsOptional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(LIMITS.genres)
  @IsString({ each: true })
  @Length(1, LIMITS.tagLength, { each: true })
  genres?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'ISO 639-1 codes of the languages taught in, e.g. ["en", "de"].',
  })
  @IsOptional()
  @Transform(lowerEach)
  @IsArray()
  @ArrayMaxSize(LIMITS.languages)
  @IsLanguageCode({ each: true })
  languages?: string[] | null;

  @Field(() => [LessonFormat], { nullable: true, description: 'Where lessons take place (replaces the list).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsEnum(LessonFormat, { each: true })
  formats?: LessonFormat[] | null;

  @Field(() => TeacherLocationInput, {
    nullable: true,
    description: 'Needed to publish when a format other than ONLINE is offered. Shown publicly rounded to about 1 km.',
  })
  @IsOptional()
  @NullClears()
  @ValidateNested()
  @Type(() => TeacherLocationInput)
  location?: TeacherLocationInput | null;

  @Field(() => TimeZoneScalar, { nullable: true, description: "The zone you schedule in; defaults to your account's." })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string | null;

  @Field(() => [LessonOfferingInput], { nullable: true, description: 'Lesson lengths and prices (replaces the list).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.offerings)
  @ValidateNested({ each: true })
  @Type(() => LessonOfferingInput)
  offerings?: LessonOfferingInput[] | null;

  @Field(() => BookingPoliciesInput, { nullable: true, description: 'Booking rules; omitted fields keep their value.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BookingPoliciesInput)
  policies?: BookingPoliciesInput | null;

  @Field(() => [SocialLinkInput], {
    nullable: true,
    description: 'Links to the teacher elsewhere (replaces the list).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.socialLinks)
  @ValidateNested({ each: true })
  @Type(() => SocialLinkInput)
  socialLinks?: SocialLinkInput[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Private: the https link of your online lessons (e.g. your video room), used unless you set one per lesson (setLessonMeetingUrl). Null clears it.',
  })
  @IsOptional()
  @NullClears()
  @Transform(trim)
  @IsMeetingUrl()
  defaultMeetingUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Private: your studio's street address (at most ${ADDRESS_MAX_LENGTH} characters), shown only to the participants of your TEACHER_STUDIO lessons. Null clears it.`,
  })
  @IsOptional()
  @NullClears()
  @Transform(trim)
  @IsAddress()
  studioAddress?: string | null;
}
