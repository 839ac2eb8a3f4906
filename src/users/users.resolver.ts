import { Args, Context, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { connectionFromPage, IdArg, pageSizeOf } from '@app/common';
import { CurrentViewer, Public, Roles } from '../auth/guards/auth.decorators';
import type { GraphQLContext } from '../graphql/graphql-context';
import { AccountEventsService } from './account-events.service';
import { UpdateMeInput } from './dto/update-me.input';
import { UsersArgs } from './dto/users.args';
import { AccountEvent } from './models/account-event.model';
import { UserConnection, UserModel } from './models/user.model';
import { presentUser } from './user.presenter';
import type { Viewer } from '../auth/viewer';
import { Role, User } from './user.types';
import { UsersService } from './users.service';

@Resolver(() => UserModel)
export class UsersResolver {
  constructor(
    private readonly usersService: UsersService,
    private readonly events: AccountEventsService,
  ) {}

  @Query(() => UserModel, { description: 'The signed-in user, with private fields.' })
  async me(@CurrentViewer() viewer: Viewer, @Context() ctx: GraphQLContext): Promise<UserModel> {
    return presentUser(await this.usersService.byId(ctx.loaders, viewer.userId), viewer);
  }

  @Public()
  @Query(() => UserModel, {
    nullable: true,
    description:
      'Any user by id, or null when there is none; private fields are null unless you are that user or an admin.',
  })
  async user(@IdArg('id', "The user's id.") id: string, @Context() ctx: GraphQLContext): Promise<UserModel | null> {
    const user = await this.usersService.find(ctx.loaders, id);
    return user && presentUser(user, ctx.viewer);
  }

  @Mutation(() => UserModel, { description: 'Changes your display name or time zone.' })
  async updateMe(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The fields to change.' }) input: UpdateMeInput,
  ): Promise<UserModel> {
    return presentUser(await this.usersService.updateMe(viewer, input), viewer);
  }

  @Roles(Role.ADMIN)
  @Query(() => UserConnection, { description: 'Admin: every user, newest first, with filters.' })
  async users(@Args() args: UsersArgs, @CurrentViewer() viewer: Viewer): Promise<UserConnection> {
    const page = await this.usersService.list(args.filter, pageSizeOf(args), args.after);
    return connectionFromPage(page, { hasPreviousPage: !!args.after, node: (u: User) => presentUser(u, viewer) });
  }

  @Subscription(() => AccountEvent, { description: "Events on the viewer's own account, on every connected device." })
  accountEvents(@CurrentViewer() viewer: Viewer) {
    return this.events.subscribe(viewer.userId);
  }
}
