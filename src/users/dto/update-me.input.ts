import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsIanaTimeZone, trim } from '@app/common';

@InputType()
export class UpdateMeInput {
  @Field({ nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 80, { message: 'displayName must be 1 to 80 characters' })
  displayName?: string;

  @Field({ nullable: true, description: 'IANA time zone, e.g. Europe/Berlin' })
  @IsOptional()
  @IsIanaTimeZone()
  timeZone?: string;
}
