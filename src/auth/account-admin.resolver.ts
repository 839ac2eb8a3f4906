import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { IdArg } from '@app/common';
import { presentUser } from '../users/user.presenter';
import { UserModel } from '../users/models/user.model';
import { Role } from '../users/user.types';
import type { Viewer } from './viewer';
import { AccountAdminService } from './account-admin.service';
import { AccountDeletionService } from './account-deletion.service';
import { CurrentViewer, Roles } from './guards/auth.decorators';

@Roles(Role.ADMIN)
@Resolver()
export class AccountAdminResolver {
  constructor(
    private readonly admin: AccountAdminService,
    private readonly deletion: AccountDeletionService,
  ) {}

  @Mutation(() => UserModel, {
    description: 'Admin: blocks log-in and refresh at once and revokes every access token.',
  })
  async suspendUser(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The user to act on.') id: string,
  ): Promise<UserModel> {
    return presentUser(await this.admin.suspend(viewer, id), viewer);
  }

  @Mutation(() => UserModel, { description: 'Admin: lets a suspended user log in again.' })
  async reinstateUser(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The user to act on.') id: string,
  ): Promise<UserModel> {
    return presentUser(await this.admin.reinstate(id), viewer);
  }

  @Mutation(() => Boolean, {
    description:
      "Admin: deletes someone else's account, as deleteMyAccount does (sessions end, e-mail freed, media deleted).",
  })
  deleteUser(@CurrentViewer() viewer: Viewer, @IdArg() id: string): Promise<boolean> {
    return this.deletion.deleteUser(viewer, id);
  }

  @Mutation(() => UserModel, { description: "Admin: replaces a user's roles (the only way to grant ADMIN)." })
  async setUserRoles(
    @CurrentViewer() viewer: Viewer,
    @IdArg('id', 'The user to act on.') id: string,
    @Args('roles', { type: () => [Role], description: 'The complete new set of roles.' }) roles: Role[],
  ): Promise<UserModel> {
    return presentUser(await this.admin.setRoles(viewer, id, roles), viewer);
  }
}
