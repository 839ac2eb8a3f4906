import { Injectable } from '@nestjs/common';
import { canonicalTimeZone, Clock, NotFoundError, type Page } from '@app/common';
import type { TransactPart } from '@app/dynamo';
import { DomainEvents } from '../events/domain-events.service';
import type { RequestLoaders } from '../graphql/request-loaders';
import type { Viewer } from '../auth/viewer';
import { AccountEventsService } from './account-events.service';
import { UpdateMeInput } from './dto/update-me.input';
import { UsersFilter } from './dto/users.args';
import { AccountEventType } from './models/account-event.model';
import { User } from './user.types';
import { StoredChanges, StoredCredentials, UsersRepository } from './users.repository';

export type { StoredCredentials } from './users.repository';
export { EmailTakenError, UserMissingError } from './users.errors';
export { EmailNotVerifiedError } from './account-requirements';

/** Fields other features (authentication, administration) may change on an account. */
export type AccountChanges = StoredChanges;

/**
 * Accounts: the one way into the users store for every feature. Reads for GraphQL go through the
 * request's loader, so every user read in one request becomes one BatchGetItem.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly accountEvents: AccountEventsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async byId(loaders: RequestLoaders, id: string): Promise<User> {
    const user = await this.users.load(loaders.dynamoItems, id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  /** A user or null, through the request's loader. */
  find(loaders: RequestLoaders, id: string): Promise<User | null> {
    return this.users.load(loaders.dynamoItems, id);
  }

  findMany(loaders: RequestLoaders, ids: readonly string[]): Promise<Array<User | null>> {
    return this.users.loadMany(loaders.dynamoItems, ids);
  }

  async updateMe(viewer: Viewer, input: UpdateMeInput): Promise<User> {
    // The teacher profile copies the name: a rename is a domain event, stored with the change.
    const renamed =
      input.displayName === undefined
        ? undefined
        : this.events.record('user.renamed', { userId: viewer.userId, displayName: input.displayName });
    const user = await this.users.update(
      viewer.userId,
      {
        displayName: input.displayName,
        timeZone: input.timeZone === undefined ? undefined : canonicalTimeZone(input.timeZone)!,
        locale: input.locale,
      },
      { now: this.clock.now(), also: renamed?.parts },
    );
    if (renamed) this.events.publish(renamed);
    await this.accountEvents.publish(viewer.userId, AccountEventType.PROFILE_UPDATED);
    return user;
  }

  list(filter: UsersFilter = {}, first: number, after?: string): Promise<Page<User>> {
    return this.users.list(filter, first, after);
  }

  // ---- for the media feature (it checks the media before setting it)

  /** Sets or (null) removes the avatar; NOT_FOUND for a missing or deleted account. */
  async setAvatar(userId: string, mediaId: string | null): Promise<User> {
    const user = await this.users.setAvatar(userId, mediaId, this.clock.now());
    if (!user) throw new NotFoundError('User', userId);
    await this.accountEvents.publish(userId, AccountEventType.PROFILE_UPDATED);
    return user;
  }

  /** A media is being deleted: the account stops using it as its avatar (if it does). */
  async removeAvatar(userId: string, mediaId: string): Promise<void> {
    await this.users.setAvatar(userId, null, this.clock.now(), mediaId);
  }

  // ---- for authentication and administration (they own the password and the account state)

  /** Deletes the account with its `account.deleted` event in one transaction (see UsersRepository.markDeleted). */
  markDeleted(user: User, also: TransactPart[]): Promise<void> {
    return this.users.markDeleted(user, this.clock.now(), also);
  }

  /**
   * Creates the account and claims its e-mail address at once, with `also` (a verification token,
   * domain events) in the same transaction; EmailTakenError if the address is taken.
   */
  create(user: User, passwordHash: string, also: TransactPart[] = []): Promise<void> {
    return this.users.create(user, passwordHash, also);
  }

  /**
   * Moves the account to a new (normalised) address, unverified, with `also` in the same
   * transaction. EmailTakenError when another account holds it; UserMissingError when the account
   * is gone or moved from `from` meanwhile.
   */
  changeEmail(id: string, from: string, to: string, also: TransactPart[] = []): Promise<User> {
    return this.users.changeEmail(id, from, to, { now: this.clock.now(), also });
  }

  credentialsByEmail(normalisedEmail: string): Promise<StoredCredentials | null> {
    return this.users.findCredentialsByEmail(normalisedEmail);
  }

  /** A consistent read of the account with its password hash. */
  credentialsById(id: string): Promise<StoredCredentials | null> {
    return this.users.findCredentialsById(id);
  }

  /**
   * Applies changes; `bumpTokenVersion` revokes every access token at once; `also` are parts
   * (domain events) written in the same transaction; `ifEmail` applies them only while the
   * account is still at that address. UserMissingError if absent (or moved).
   */
  update(
    id: string,
    changes: AccountChanges,
    opts: { bumpTokenVersion?: boolean; also?: TransactPart[]; ifEmail?: string } = {},
  ): Promise<User> {
    return this.users.update(id, changes, { ...opts, now: this.clock.now() });
  }
}
