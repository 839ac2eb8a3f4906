import { registerEnumType } from '@nestjs/graphql';

/** What a mail is about; the user chooses per category (except the ones that protect the account). */
export enum NotificationCategory {
  ACCOUNT = 'ACCOUNT',
  SECURITY = 'SECURITY',
  LESSON_UPDATES = 'LESSON_UPDATES',
  REMINDERS = 'REMINDERS',
}
registerEnumType(NotificationCategory, {
  name: 'NotificationCategory',
  description:
    'ACCOUNT (address verification) and SECURITY (password reset, password or address changed) mails are always sent; LESSON_UPDATES and REMINDERS can be switched off.',
});

export const ALWAYS_SENT: ReadonlySet<NotificationCategory> = new Set([
  NotificationCategory.ACCOUNT,
  NotificationCategory.SECURITY,
]);
