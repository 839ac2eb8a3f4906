import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { ConnectionArgs, NullMeansOmitted } from '@app/common';
import { NotificationCategory } from '../notification-categories';

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Only those not read yet.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsBoolean()
  unreadOnly?: boolean;
}

@InputType({ description: 'Mails of one category on or off.' })
export class NotificationPreferenceInput {
  @Field(() => NotificationCategory, { description: 'The category to change.' })
  @IsEnum(NotificationCategory, { message: 'category must be ACCOUNT, SECURITY, LESSON_UPDATES or REMINDERS' })
  category: NotificationCategory;

  @Field({ description: 'Send mails of this category.' })
  @IsBoolean()
  email: boolean;
}

@ArgsType()
export class MarkNotificationsReadArgs {
  @Field(() => [ID], { nullable: true, description: 'The notifications to mark read; all of them when left out.' })
  @IsOptional()
  @NullMeansOmitted()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(120, { each: true })
  ids?: string[];
}
