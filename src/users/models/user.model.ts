import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { Role, UserStatus } from '../user.types';

@ObjectType('User', {
  description: 'A person on the marketplace. Private fields are null unless you are that user or an admin.',
})
export class UserModel {
  @Field(() => ID)
  id: string;

  @Field()
  displayName: string;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => Date)
  createdAt: Date;

  @Field(() => String, { nullable: true, description: 'Visible to the user and to admins only.' })
  email: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone. Visible to the user and to admins only.' })
  timeZone: string | null;

  @Field(() => UserStatus, { nullable: true, description: 'Visible to the user and to admins only.' })
  status: UserStatus | null;

  @Field(() => Date, { nullable: true, description: 'Visible to the user and to admins only.' })
  updatedAt: Date | null;
}

@ObjectType('UserConnection')
export class UserConnection extends Paginated(UserModel) {}
