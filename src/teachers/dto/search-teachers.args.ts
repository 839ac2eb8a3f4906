import { ArgsType, Field, Float, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import { IsEnum, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { ConnectionArgs, CurrencyScalar, FieldProblem, InputRules, NullMeansOmitted } from '@app/common';
import { queryTokens, tagKey } from '../search/text-tokens';
import { LessonFormat } from '../teacher-scheduling';
import { LIMITS, SkillLevel } from '../teacher.types';
import { IsIso4217, IsLanguageCode, lower, trim, upper } from './validators';

export enum TeacherSort {
  RELEVANCE = 'RELEVANCE',
  RATING = 'RATING',
  PRICE_ASC = 'PRICE_ASC',
  PRICE_DESC = 'PRICE_DESC',
  DISTANCE = 'DISTANCE',
}
registerEnumType(TeacherSort, {
  name: 'TeacherSort',
  description: 'The order of search results. Ties are broken by id.',
  valuesMap: {
    RELEVANCE: { description: 'Best text match first (then as RATING); without filter.text the same as RATING.' },
    RATING: { description: 'Highest average rating first, then most ratings.' },
    PRICE_ASC: { description: 'Cheapest first, by the offering filter.price chooses (required).' },
    PRICE_DESC: { description: 'Most expensive first, by the offering filter.price chooses (required).' },
    DISTANCE: { description: 'Nearest first (requires filter.near).' },
  },
});

@InputType({
  description: 'Teachers offering a lesson of this duration in this currency, optionally within a price range.',
})
export class PriceFilter {
  @Field(() => Int, { description: 'The lesson length whose price is compared.' })
  @IsInt()
  @Min(LIMITS.minDurationMinutes)
  @Max(LIMITS.maxDurationMinutes)
  durationMinutes: number;

  @Field(() => CurrencyScalar, { description: 'The currency; prices in other currencies are not converted.' })
  @Transform(upper)
  @IsIso4217()
  currency: string;

  @Field(() => Int, { nullable: true, description: 'Lowest price (amountMinor), inclusive.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxPriceMinor)
  minAmountMinor?: number;

  @Field(() => Int, { nullable: true, description: 'Highest price (amountMinor), inclusive.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxPriceMinor)
  maxAmountMinor?: number;
}

@InputType({
  description:
    "Teachers whose (public, rounded) position is within radiusKm of a point. Teachers without a location don't match.",
})
export class NearFilter {
  @Field(() => Float, { description: 'Latitude of the point, -90 to 90.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude: number;

  @Field(() => Float, { description: 'Longitude of the point, -180 to 180.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude: number;

  @Field(() => Float, { description: `0.1 to ${LIMITS.maxRadiusKm}.` })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(LIMITS.maxRadiusKm)
  radiusKm: number;
}

@InputType({ description: 'Every given filter must match (AND).' })
export class TeacherSearchFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Words matched against name, headline, instruments and genres, ignoring case and accents; each word must ' +
      'start a word of the profile ("bach" finds "Bachata" and "Bächler"). Words under 2 letters are ignored.',
  })
  @IsOptional()
  @NullMeansOmitted()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  text?: string;

  @Field(() => String, {
    nullable: true,
    description: 'An instrument name, compared ignoring case and accents, e.g. "piano".',
  })
  @IsOptional()
  @NullMeansOmitted()
  @Transform(trim)
  @IsString()
  @Length(1, LIMITS.tagLength)
  instrument?: string;

  @Field(() => SkillLevel, { nullable: true, description: 'Taught at this level (for filter.instrument when given).' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(SkillLevel)
  level?: SkillLevel;

  @Field(() => String, { nullable: true, description: 'A genre, compared ignoring case and accents.' })
  @IsOptional()
  @NullMeansOmitted()
  @Transform(trim)
  @IsString()
  @Length(1, LIMITS.tagLength)
  genre?: string;

  @Field(() => String, { nullable: true, description: 'ISO 639-1 code, e.g. "de".' })
  @IsOptional()
  @NullMeansOmitted()
  @Transform(lower)
  @IsLanguageCode()
  language?: string;

  @Field(() => LessonFormat, { nullable: true, description: 'Offers this format.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(LessonFormat)
  format?: LessonFormat;

  @Field(() => PriceFilter, {
    nullable: true,
    description: 'Offers a lesson of a duration and currency, optionally within a price range.',
  })
  @IsOptional()
  @NullMeansOmitted()
  @ValidateNested()
  @Type(() => PriceFilter)
  price?: PriceFilter;

  @Field(() => NearFilter, { nullable: true, description: 'Within a radius of a point.' })
  @IsOptional()
  @NullMeansOmitted()
  @ValidateNested()
  @Type(() => NearFilter)
  near?: NearFilter;

  @Field(() => Float, { nullable: true, description: 'Lowest average rating, 0-5.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(5)
  minRating?: number;
}

/** Rules spanning fields of the search: words to search for, a price range, what each sort needs. */
function searchProblems(args: SearchTeachersArgs): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const filter = args.filter ?? {};
  const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
  if (text(filter.text) && queryTokens(filter.text).length === 0)
    problems.push({ field: 'filter.text', message: 'text must contain a word of at least 2 letters or digits' });
  if (text(filter.instrument) && !tagKey(filter.instrument))
    problems.push({ field: 'filter.instrument', message: 'instrument must contain letters or digits' });
  if (text(filter.genre) && !tagKey(filter.genre))
    problems.push({ field: 'filter.genre', message: 'genre must contain letters or digits' });
  const { minAmountMinor, maxAmountMinor } = filter.price ?? {};
  if (typeof minAmountMinor === 'number' && typeof maxAmountMinor === 'number' && minAmountMinor > maxAmountMinor)
    problems.push({
      field: 'filter.price.maxAmountMinor',
      message: 'maxAmountMinor must not be below minAmountMinor',
    });
  if ((args.sort === TeacherSort.PRICE_ASC || args.sort === TeacherSort.PRICE_DESC) && !filter.price)
    problems.push({
      field: 'sort',
      message: `${args.sort} needs filter.price (the lesson duration and currency to compare)`,
    });
  if (args.sort === TeacherSort.DISTANCE && !filter.near)
    problems.push({ field: 'sort', message: 'DISTANCE needs filter.near' });
  return problems;
}

@ArgsType()
@InputRules(searchProblems)
export class SearchTeachersArgs extends ConnectionArgs {
  @Field(() => TeacherSearchFilter, {
    nullable: true,
    description: 'What the teachers must match (all given filters).',
  })
  @IsOptional()
  @NullMeansOmitted()
  @ValidateNested()
  @Type(() => TeacherSearchFilter)
  filter?: TeacherSearchFilter;

  @Field(() => TeacherSort, {
    nullable: true,
    defaultValue: TeacherSort.RELEVANCE,
    description: 'The order of the results.',
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(TeacherSort)
  sort?: TeacherSort;
}
