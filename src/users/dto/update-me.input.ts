import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { InputRules, IsIanaTimeZone, TimeZoneScalar, trim } from '@app/common';
import { Locale } from '../user.types';

@InputType({ description: 'Changes to your account; give at least one field.' })
@InputRules<UpdateMeInput>((input) =>
  input.displayName === undefined && input.timeZone === undefined && input.locale === undefined
    ? [{ field: '', message: 'give displayName, timeZone or locale to change' }]
    : [],
)
export class UpdateMeInput {
  @Field({ nullable: true, description: 'The public name (1-80 characters).' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 80, { message: 'displayName must be 1 to 80 characters' })
  displayName?: string;

  @Field(() => TimeZoneScalar, { nullable: true, description: 'Your time zone, e.g. Europe/Berlin.' })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;

  @Field(() => Locale, { nullable: true, description: 'Language of e-mails and notifications.' })
  @IsOptional()
  @IsEnum(Locale, { message: 'locale must be EN or DE' })
  locale?: Locale;
}
