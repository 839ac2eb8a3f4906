import { Injectable } from '@nestjs/common';
import {
  afterIsNotACursor,
  canonicalTimeZone,
  decodeAfter,
  encodeCursor,
  NotFoundError,
  ValidationFailedError,
} from '@app/common';
import { InvalidStartKeyError } from '@app/dynamo';
import type { RequestLoaders } from '../graphql/request-loaders';
import { AccountEventsService } from './account-events.service';
import { UpdateMeInput } from './dto/update-me.input';
import { UsersFilter } from './dto/users.args';
import { AccountEventType } from './models/account-event.model';
import { userKey, USERS_INDEX_PARTITION, usersIndexSortKey } from './user.keys';
import { User, Viewer } from './user.types';
import { UsersRepository } from './users.repository';

export interface UserPage {
  users: User[];
  hasNextPage: boolean;
}

/** A user's exact position in the admin list (its table and GSI1 keys), so every edge has a cursor. */
export function userListCursor(user: User): string {
  return encodeCursor({
    k: { ...userKey(user.id), GSI1PK: USERS_INDEX_PARTITION, GSI1SK: usersIndexSortKey(user.createdAt, user.id) },
  });
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly events: AccountEventsService,
  ) {}

  async byId(loaders: RequestLoaders, id: string): Promise<User> {
    const user = await this.users.load(loaders.dynamoItems, id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  async updateMe(viewer: Viewer, input: UpdateMeInput): Promise<User> {
    if (input.displayName === undefined && input.timeZone === undefined) {
      throw ValidationFailedError.field('input', 'give displayName or timeZone to change');
    }
    const user = await this.users.update(viewer.userId, {
      displayName: input.displayName,
      timeZone: input.timeZone === undefined ? undefined : canonicalTimeZone(input.timeZone)!,
    });
    await this.events.publish(viewer.userId, AccountEventType.PROFILE_UPDATED);
    return user;
  }

  async list(filter: UsersFilter = {}, first: number, after?: string): Promise<UserPage> {
    const start = decodeAfter<{ k: Record<string, unknown> }>(after)?.k;
    const page = await this.users.list(filter, first, start).catch((err: Error) => {
      // A cursor of ours, but from another list (another partition).
      if (err instanceof InvalidStartKeyError) throw afterIsNotACursor();
      throw err;
    });
    return { users: page.users, hasNextPage: page.lastEvaluatedKey !== undefined };
  }
}
