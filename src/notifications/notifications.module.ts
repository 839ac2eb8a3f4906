import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { UsersModule } from '../users/users.module';
import { AccountNoticesConsumer } from './consumers/account-notices.consumer';
import { CreditNoticesConsumer } from './consumers/credit-notices.consumer';
import { LessonNoticesConsumer } from './consumers/lesson-notices.consumer';
import { LessonReminders } from './consumers/lesson-reminders';
import { DevMailController } from './dev/dev-mail.controller';
import { Notification, NotificationSchema } from './in-app/notification.schema';
import { NotificationsRepository } from './in-app/notifications.repository';
import { MailComposer } from './mail/mail-composer';
import { MailMessagesRepository } from './mail/mail-messages.repository';
import { MailMetrics } from './mail/mail-metrics';
import { MailQueue } from './mail/mail-queue.service';
import { MailRenderer } from './mail/mail-renderer';
import { MailTransport } from './mail/mail-transport';
import { NotificationsResolver, UserNotificationsResolver } from './notifications.resolver';
import { NotificationsService } from './notifications.service';
import { NotificationPreferencesRepository } from './preferences/notification-preferences.repository';
import { NotificationPreferences, NotificationPreferencesSchema } from './preferences/notification-preferences.schema';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';
import { UnsubscribeController } from './preferences/unsubscribe.controller';
import { UnsubscribeTokens } from './preferences/unsubscribe-tokens';

/**
 * Notifications: account, security and lesson mails (Handlebars, nodemailer over SMTP, queued
 * and sent once through the job scheduler), reminders before lessons, in-app notifications with
 * a live subscription, and per-category mail preferences. It reacts to domain events only: no
 * other feature calls it.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Notification.name, schema: NotificationSchema },
      { name: NotificationPreferences.name, schema: NotificationPreferencesSchema },
    ]),
    AuthModule,
    BookingsModule,
    UsersModule,
  ],
  controllers: [UnsubscribeController, DevMailController],
  providers: [
    AccountNoticesConsumer,
    CreditNoticesConsumer,
    LessonNoticesConsumer,
    LessonReminders,
    MailComposer,
    MailMessagesRepository,
    MailMetrics,
    MailQueue,
    MailRenderer,
    MailTransport,
    NotificationPreferencesRepository,
    NotificationPreferencesService,
    NotificationsRepository,
    NotificationsResolver,
    NotificationsService,
    UnsubscribeTokens,
    UserNotificationsResolver,
  ],
  exports: [MailQueue],
})
export class NotificationsModule {}
