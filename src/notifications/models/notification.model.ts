import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { NotificationCategory } from '../notification-categories';

@ObjectType('Notification', { description: "An entry of the viewer's in-app notification list." })
export class NotificationModel {
  @Field(() => ID, { description: "The notification's id (for markNotificationsRead)." })
  id: string;

  @Field({ description: 'What happened, e.g. lesson-confirmed, lesson-reminder, password-changed.' })
  kind: string;

  @Field(() => NotificationCategory, { description: 'The preference category it belongs to.' })
  category: NotificationCategory;

  @Field({ description: "In the viewer's language." })
  title: string;

  @Field({ description: "One line, in the viewer's language and time zone." })
  body: string;

  @Field(() => String, { nullable: true, description: 'Where the web app shows it.' })
  link: string | null;

  @Field(() => ID, { nullable: true, description: 'The lesson it is about, if any.' })
  lessonId: string | null;

  @Field(() => Date, { description: 'When it was added.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was marked read; null while unread.' })
  readAt: Date | null;
}

@ObjectType('NotificationConnection', { description: 'A page of in-app notifications, newest first.' })
export class NotificationConnection extends Paginated(NotificationModel, { nodeName: 'Notification' }) {}

@ObjectType('NotificationPreference', { description: 'Whether mails of one category are sent to the viewer.' })
export class NotificationPreferenceModel {
  @Field(() => NotificationCategory, { description: 'The category.' })
  category: NotificationCategory;

  @Field({ description: 'Whether mails of this category are sent.' })
  email: boolean;

  @Field({ description: 'False for ACCOUNT and SECURITY: those mails are always sent.' })
  canDisable: boolean;
}
