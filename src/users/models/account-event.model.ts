import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AccountEventType {
  PROFILE_UPDATED = 'PROFILE_UPDATED',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  EMAIL_CHANGED = 'EMAIL_CHANGED',
  EMAIL_VERIFIED = 'EMAIL_VERIFIED',
  SESSIONS_REVOKED = 'SESSIONS_REVOKED',
  SUSPENDED = 'SUSPENDED',
  REINSTATED = 'REINSTATED',
  ROLES_CHANGED = 'ROLES_CHANGED',
  /** The account was deleted; every session has ended. */
  DELETED = 'DELETED',
}
registerEnumType(AccountEventType, {
  name: 'AccountEventType',
  description: 'What happened to the account.',
  valuesMap: {
    PROFILE_UPDATED: { description: 'Display name or time zone changed.' },
    PASSWORD_CHANGED: { description: 'The password changed; other sessions were ended.' },
    EMAIL_CHANGED: { description: 'The account moved to another e-mail address, which must be confirmed.' },
    EMAIL_VERIFIED: { description: 'The e-mail address was confirmed.' },
    SESSIONS_REVOKED: { description: 'Every session was ended (log out everywhere).' },
    SUSPENDED: { description: 'An admin suspended the account; this connection closes.' },
    REINSTATED: { description: 'An admin reinstated the account.' },
    ROLES_CHANGED: { description: "An admin changed the account's roles." },
    DELETED: { description: 'The account was deleted; every session has ended and this connection closes.' },
  },
});

@ObjectType({ description: "Something that happened to the viewer's account, pushed to every connected device." })
export class AccountEvent {
  @Field(() => AccountEventType, { description: 'What happened.' })
  type: AccountEventType;

  @Field(() => Date, { description: 'When it happened.' })
  at: Date;
}
