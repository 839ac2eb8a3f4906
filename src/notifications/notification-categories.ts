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
    'What a notification is about. ACCOUNT and SECURITY mails are always sent; LESSON_UPDATES and REMINDERS mails can be switched off.',
  valuesMap: {
    ACCOUNT: { description: 'Confirming the e-mail address. Always mailed.' },
    SECURITY: { description: 'Password reset, a changed password or address. Always mailed.' },
    LESSON_UPDATES: { description: 'A lesson requested, confirmed, declined, cancelled, moved, expired or completed.' },
    REMINDERS: {
      description: 'Reminders 24 hours and 1 hour before a confirmed lesson, and before unused lesson credits expire.',
    },
  },
});

export const ALWAYS_SENT: ReadonlySet<NotificationCategory> = new Set([
  NotificationCategory.ACCOUNT,
  NotificationCategory.SECURITY,
]);
