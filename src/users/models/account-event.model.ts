import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AccountEventType {
  PROFILE_UPDATED = 'PROFILE_UPDATED',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  SESSIONS_REVOKED = 'SESSIONS_REVOKED',
  SUSPENDED = 'SUSPENDED',
  REINSTATED = 'REINSTATED',
  ROLES_CHANGED = 'ROLES_CHANGED',
}
registerEnumType(AccountEventType, { name: 'AccountEventType' });

@ObjectType({ description: "Something that happened to the viewer's account, pushed to every connected device." })
export class AccountEvent {
  @Field(() => AccountEventType)
  type: AccountEventType;

  @Field(() => Date)
  at: Date;
}
