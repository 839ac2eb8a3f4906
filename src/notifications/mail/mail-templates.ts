import { NotificationCategory } from '../notification-categories';

/**
 * Every mail the server sends: its category (which preferences apply) and whether the user's
 * in-app notification list gets it too. Each has `templates/mails/<name>.html.hbs` and
 * `.text.hbs`, and its phrases in `templates/i18n/<locale>.json`.
 */
export const MAIL_TEMPLATES = {
  'verify-email': { category: NotificationCategory.ACCOUNT, inApp: false },
  'password-reset': { category: NotificationCategory.SECURITY, inApp: false },
  'password-changed': { category: NotificationCategory.SECURITY, inApp: true },
  'email-changed': { category: NotificationCategory.SECURITY, inApp: false },
  'lesson-requested': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-confirmed': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-declined': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-cancelled': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-rescheduled': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-expired': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-completed': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-no-show': { category: NotificationCategory.LESSON_UPDATES, inApp: true },
  'lesson-reminder': { category: NotificationCategory.REMINDERS, inApp: true },
  'credits-expiring': { category: NotificationCategory.REMINDERS, inApp: true },
} as const satisfies Record<string, { category: NotificationCategory; inApp: boolean }>;

export type MailTemplate = keyof typeof MAIL_TEMPLATES;

export const MAIL_TEMPLATE_NAMES = Object.keys(MAIL_TEMPLATES) as MailTemplate[];
