import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsString, Length, MaxLength } from 'class-validator';
import { InputRules, IsIanaTimeZone, trim } from '@app/common';

const PASSWORD_RULE = 'password must be 10 to 256 characters';

export enum SignUpRole {
  STUDENT = 'STUDENT',
  TEACHER = 'TEACHER',
}
registerEnumType(SignUpRole, {
  name: 'SignUpRole',
  description: 'The role chosen at sign-up. ADMIN is granted by an admin only.',
});

@InputType()
export class SignUpInput {
  @Field()
  @Transform(trim)
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email: string;

  @Field({ description: '10 to 256 characters.' })
  @IsString()
  @Length(10, 256, { message: PASSWORD_RULE })
  password: string;

  @Field()
  @Transform(trim)
  @IsString()
  @Length(1, 80, { message: 'displayName must be 1 to 80 characters' })
  displayName: string;

  @Field({ description: 'IANA time zone, e.g. America/New_York' })
  @IsIanaTimeZone()
  timeZone: string;

  @Field(() => SignUpRole)
  @IsEnum(SignUpRole)
  role: SignUpRole;
}

@InputType()
export class LogInInput {
  @Field()
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @MaxLength(256)
  password: string;
}

@InputType()
@InputRules<ChangePasswordInput>(({ currentPassword, newPassword }) =>
  typeof newPassword === 'string' && newPassword === currentPassword
    ? [{ field: 'newPassword', message: 'newPassword must differ from the current password' }]
    : [],
)
export class ChangePasswordInput {
  @Field()
  @IsString()
  @MaxLength(256)
  currentPassword: string;

  @Field({ description: '10 to 256 characters.' })
  @IsString()
  @Length(10, 256, { message: PASSWORD_RULE.replace('password', 'newPassword') })
  newPassword: string;
}
