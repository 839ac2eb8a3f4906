import { Field, ID, ObjectType } from '@nestjs/graphql';
import { EmailAddressScalar, Paginated, TimeZoneScalar } from '@app/common';
import { Locale, Role, UserStatus } from '../user.types';

@ObjectType('User', {
  description: 'A person on the marketplace. Private fields are null unless you are that user or an admin.',
})
export class UserModel {
  @Field(() => ID, { description: "The user's id." })
  id: string;

  @Field({ description: 'The public name.' })
  displayName: string;

  @Field(() => [Role], { description: 'What the user may act as.' })
  roles: Role[];

  @Field(() => Date, { description: 'When the account was created.' })
  createdAt: Date;

  @Field(() => EmailAddressScalar, {
    nullable: true,
    description: 'The e-mail address to log in with. Visible to the user and to admins only.',
  })
  email: string | null;

  @Field(() => TimeZoneScalar, {
    nullable: true,
    description: "The user's time zone. Visible to the user and to admins only.",
  })
  timeZone: string | null;

  @Field(() => Locale, {
    nullable: true,
    description: 'Language of e-mails and notifications. Visible to the user and to admins only.',
  })
  locale: Locale | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the e-mail address is confirmed (verifyEmail); unconfirmed accounts cannot book. Visible to the user and to admins only.',
  })
  emailVerified: boolean | null;

  @Field(() => UserStatus, {
    nullable: true,
    description: 'Whether the account is active. Visible to the user and to admins only.',
  })
  status: UserStatus | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the account last changed. Visible to the user and to admins only.',
  })
  updatedAt: Date | null;

  /** For the media feature's `avatar` field; not a GraphQL field. */
  avatarMediaId: string | null;
}

@ObjectType('UserConnection', { description: 'A page of users (admin list).' })
export class UserConnection extends Paginated(UserModel, { nodeName: 'User' }) {}
