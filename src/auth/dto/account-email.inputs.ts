import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { trim } from '@app/common';

@InputType()
export class ResetPasswordInput {
  @Field({ description: 'The token from the password-reset mail.' })
  @IsString()
  @MaxLength(200)
  token: string;

  @Field({ description: '10 to 256 characters.' })
  @IsString()
  @Length(10, 256, { message: 'newPassword must be 10 to 256 characters' })
  newPassword: string;
}

@InputType()
export class ChangeEmailInput {
  @Field()
  @Transform(trim)
  @MaxLength(254, { message: 'newEmail must be at most 254 characters' })
  @IsEmail({}, { message: 'newEmail must be a valid e-mail address' })
  newEmail: string;

  @Field()
  @IsString()
  @MaxLength(256)
  currentPassword: string;
}
