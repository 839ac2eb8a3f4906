import { ArgsType, Field, Float, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import { IsEnum, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { ConnectionArgs, FieldProblem, InputRules, NullMeansOmitted } from '@app/common';
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
  description:
    'RELEVANCE: best text match first (then as RATING); without filter.text the same as RATING. ' +
    'RATING: highest average rating, then most ratings. PRICE_ASC / PRICE_DESC: by the price of the offering ' +
    'chosen by filter.price (required). DISTANCE: nearest first (requires filter.near). Ties are broken by id.',
});

@InputType({
  description: 'Teachers offering a lesson of this duration in this currency, optionally within a price range.',
})
export class PriceFilter {
  @Field(() => Int)
  @IsInt()
  @Min(LIMITS.minDurationMinutes)
  @Max(LIMITS.maxDurationMinutes)
  durationMinutes: number;

  @Field({ description: 'ISO 4217 code; prices in other currencies are not converted.' })
  @Transform(upper)
  @IsIso4217()
  currency: string;

  @Field(() => Int, { nullable: true, description: 'Lowest price, minor units, inclusive.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxPriceMinor)
  minMinor?: number;

  @Field(() => Int, { nullable: true, description: 'Highest price, minor units, inclusive.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(0)
  @Max(LIMITS.maxPriceMinor)
  maxMinor?: number;
}

@InputType({
  description:
    "Teachers whose (public, rounded) position is within radiusKm of a point. Teachers without a location don't match.",
})
export class NearFilter {
  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude: number;

  @Field(() => Float)
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

  @Field(() => LessonFormat, { nullable: true })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(LessonFormat)
  format?: LessonFormat;

  @Field(() => PriceFilter, { nullable: true })
  @IsOptional()
  @NullMeansOmitted()
  @ValidateNested()
  @Type(() => PriceFilter)
  price?: PriceFilter;

  @Field(() => NearFilter, { nullable: true })
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
  const { minMinor, maxMinor } = filter.price ?? {};
  if (typeof minMinor === 'number' && typeof maxMinor === 'number' && minMinor > maxMinor)
    problems.push({ field: 'filter.price.maxMinor', message: 'maxMinor must not be below minMinor' });
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
  @Field(() => TeacherSearchFilter, { nullable: true })
  @IsOptional()
  @NullMeansOmitted()
  @ValidateNested()
  @Type(() => TeacherSearchFilter)
  filter?: TeacherSearchFilter;

  @Field(() => TeacherSort, { nullable: true, defaultValue: TeacherSort.RELEVANCE })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(TeacherSort)
  sort?: TeacherSort;
}
