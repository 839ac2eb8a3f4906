import { Field, ID, ObjectType } from '@nestjs/graphql';
import { PresenceStatus } from '../presence/presence.types';

@ObjectType('Presence', {
  description: 'Online presence, visible to the user themself and to the people who share a conversation with them.',
})
export class PresenceModel {
  @Field(() => PresenceStatus, { description: 'ONLINE, AWAY or OFFLINE.' })
  status: PresenceStatus;

  @Field(() => Date, {
    nullable: true,
    description: 'Online or away: the latest heartbeat; offline: when the user was last connected. Null if never.',
  })
  lastSeenAt: Date | null;
}

@ObjectType('PresenceEvent', { description: 'A change of presence of someone you share a conversation with.' })
export class PresenceEventModel extends PresenceModel {
  @Field(() => ID, { description: 'Whose presence changed.' })
  userId: string;
}
