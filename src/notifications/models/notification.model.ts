import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { NotificationCategory } from '../notification-categories';

@ObjectType('Notification', { description: "An entry of the viewer's in-app notification list." })
export class NotificationModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'What happened, e.g. lesson-confirmed, lesson-reminder, password-changed.' })
  kind: string;

  @Field(() => NotificationCategory)
  category: NotificationCategory;

  @Field({ description: "In the viewer's language." })
  title: string;

  @Field({ description: "One line, in the viewer's language and time zone." })
  body: string;

  @Field(() => String, { nullable: true, description: 'Where the web app shows it.' })
  link: string | null;

  @Field(() => ID, { nullable: true })
  lessonId: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  readAt: Date | null;
}

@ObjectType('NotificationConnection')
export class NotificationConnection extends Paginated(NotificationModel) {}

@ObjectType('NotificationPreference')
export class NotificationPreferenceModel {
  @Field(() => NotificationCategory)
  category: NotificationCategory;

  @Field({ description: 'Whether mails of this category are sent.' })
  email: boolean;

  @Field({ description: 'False for ACCOUNT and SECURITY: those mails are always sent.' })
  canDisable: boolean;
}
