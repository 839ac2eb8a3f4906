import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { connectionFromPage, pageSizeOf } from '@app/common';
import { CurrentViewer } from '../auth/guards/auth.decorators';
import type { Viewer } from '../auth/viewer';
import { UserModel } from '../users/models/user.model';
import { MarkNotificationsReadArgs, NotificationPreferenceInput, NotificationsArgs } from './dto/notifications.inputs';
import { NotificationConnection, NotificationModel, NotificationPreferenceModel } from './models/notification.model';
import { NotificationsService } from './notifications.service';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';

@Resolver()
export class NotificationsResolver {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly preferences: NotificationPreferencesService,
  ) {}

  @Query(() => [NotificationPreferenceModel], { description: "The viewer's mail preferences, one per category." })
  notificationPreferences(@CurrentViewer() viewer: Viewer): Promise<NotificationPreferenceModel[]> {
    return this.preferences.list(viewer.userId);
  }

  @Mutation(() => [NotificationPreferenceModel], {
    description:
      'Switches mail categories on or off (the ones not listed stay as they are). ACCOUNT and SECURITY cannot be switched off (BAD_USER_INPUT).',
  })
  updateNotificationPreferences(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { type: () => [NotificationPreferenceInput], description: 'The categories to change.' })
    input: NotificationPreferenceInput[],
  ): Promise<NotificationPreferenceModel[]> {
    return this.preferences.update(viewer.userId, input);
  }

  @Mutation(() => Int, {
    description: "Marks the viewer's notifications read (all when `ids` is left out); returns how many stay unread.",
  })
  markNotificationsRead(@CurrentViewer() viewer: Viewer, @Args() args: MarkNotificationsReadArgs): Promise<number> {
    return this.notifications.markRead(viewer.userId, args.ids);
  }

  @Subscription(() => NotificationModel, { description: 'Each new in-app notification of the viewer, as it is added.' })
  notificationAdded(@CurrentViewer() viewer: Viewer) {
    return this.notifications.subscribe(viewer.userId);
  }
}

/** The viewer's notification list and unread count, on `me` (null on anyone else). */
@Resolver(() => UserModel)
export class UserNotificationsResolver {
  constructor(private readonly service: NotificationsService) {}

  @ResolveField('notifications', () => NotificationConnection, {
    nullable: true,
    description: 'In-app notifications, newest first. Only on the viewer themself (`me`); null elsewhere.',
  })
  async notificationList(
    @Parent() user: UserModel,
    @Args() args: NotificationsArgs,
    @CurrentViewer() viewer: Viewer | undefined,
  ): Promise<NotificationConnection | null> {
    if (!viewer || viewer.userId !== user.id) return null;
    const page = await this.service.page(user.id, pageSizeOf(args), args.after, args.unreadOnly ?? false);
    return connectionFromPage(page, { hasPreviousPage: !!args.after, node: (n: NotificationModel) => n });
  }

  @ResolveField(() => Int, {
    nullable: true,
    description: 'How many in-app notifications are unread. Only on the viewer themself (`me`); null elsewhere.',
  })
  unreadNotificationCount(
    @Parent() user: UserModel,
    @CurrentViewer() viewer: Viewer | undefined,
  ): Promise<number> | null {
    if (!viewer || viewer.userId !== user.id) return null;
    return this.service.unreadCount(user.id);
  }
}
