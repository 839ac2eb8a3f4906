import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { EmailAddressScalar, trim } from '@app/common';

@InputType({ description: 'The token from the password-reset mail and the new password.' })
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

@InputType({ description: 'The new address, and the current password to prove it is you.' })
export class ChangeEmailInput {
  @Field(() => EmailAddressScalar, { description: 'The address to move the account to; it must be confirmed in turn.' })
  @Transform(trim)
  @MaxLength(254, { message: 'newEmail must be at most 254 characters' })
  @IsEmail({}, { message: 'newEmail must be a valid e-mail address' })
  newEmail: string;

  @Field({ description: 'The password now.' })
  @IsString()
  @MaxLength(256)
  currentPassword: string;
}
