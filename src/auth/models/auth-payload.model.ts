import { Field, ObjectType } from '@nestjs/graphql';
import { UserModel } from '../../users/models/user.model';

@ObjectType({
  description: 'Tokens for a new or refreshed session. Keep the refresh token secret; it is rotated on every use.',
})
export class AuthPayload {
  @Field({
    description: 'Send as `Authorization: Bearer <token>` (or `authorization` in graphql-ws connectionParams).',
  })
  accessToken: string;

  @Field(() => Date, { description: 'When the access token stops working; refresh before.' })
  accessTokenExpiresAt: Date;

  @Field({
    description: 'Opaque; exchange it once with refreshSession. Reusing a rotated token ends the whole session family.',
  })
  refreshToken: string;

  @Field(() => Date, { description: 'When the refresh token stops working (log in again after).' })
  refreshTokenExpiresAt: Date;

  @Field(() => UserModel, { description: 'The signed-in user (with private fields).' })
  user: UserModel;
}
