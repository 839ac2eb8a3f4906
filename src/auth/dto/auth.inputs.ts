import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { EmailAddressScalar, InputRules, IsIanaTimeZone, TimeZoneScalar, trim } from '@app/common';
import { Locale } from '../../users/user.types';

const PASSWORD_RULE = 'password must be 10 to 256 characters';

export enum SignUpRole {
  STUDENT = 'STUDENT',
  TEACHER = 'TEACHER',
}
registerEnumType(SignUpRole, {
  name: 'SignUpRole',
  description: 'The role chosen at sign-up. ADMIN is granted by an admin only.',
  valuesMap: {
    STUDENT: { description: 'Books lessons.' },
    TEACHER: { description: 'Gives lessons (then creates a teacher profile).' },
  },
});

@InputType({ description: 'Confirms the deletion of your own account.' })
export class DeleteMyAccountInput {
  @Field({ description: 'Your current password: deleting cannot be undone.' })
  @IsString()
  @MaxLength(256, { message: 'password must be at most 256 characters' })
  password: string;
}

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field(() => EmailAddressScalar, { description: 'The e-mail address to log in with (unique, case-insensitive).' })
  @Transform(trim)
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email: string;

  @Field({ description: '10 to 256 characters.' })
  @IsString()
  @Length(10, 256, { message: PASSWORD_RULE })
  password: string;

  @Field({ description: 'The public name (1-80 characters).' })
  @Transform(trim)
  @IsString()
  @Length(1, 80, { message: 'displayName must be 1 to 80 characters' })
  displayName: string;

  @Field(() => TimeZoneScalar, { description: 'Your time zone, e.g. America/New_York.' })
  @IsIanaTimeZone()
  timeZone: string;

  @Field(() => SignUpRole, { description: 'STUDENT or TEACHER.' })
  @IsEnum(SignUpRole)
  role: SignUpRole;

  @Field(() => Locale, { nullable: true, description: 'Language of e-mails and notifications; EN when left out.' })
  @IsOptional()
  @IsEnum(Locale, { message: 'locale must be EN or DE' })
  locale?: Locale;
}

@InputType({ description: 'Credentials.' })
export class LogInInput {
  @Field(() => EmailAddressScalar, { description: 'The e-mail address of the account.' })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  email: string;

  @Field({ description: 'The password.' })
  @IsString()
  @MaxLength(256)
  password: string;
}

@InputType({ description: 'The current password, to prove it is you, and the new one.' })
@InputRules<ChangePasswordInput>(({ currentPassword, newPassword }) =>
  typeof newPassword === 'string' && newPassword === currentPassword
    ? [{ field: 'newPassword', message: 'newPassword must differ from the current password' }]
    : [],
)
export class ChangePasswordInput {
  @Field({ description: 'The password now.' })
  @IsString()
  @MaxLength(256)
  currentPassword: string;

  @Field({ description: '10 to 256 characters.' })
  @IsString()
  @Length(10, 256, { message: PASSWORD_RULE.replace('password', 'newPassword') })
  newPassword: string;
}
