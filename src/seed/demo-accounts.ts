import { Locale, Role } from '../users/user.types';

/**
 * The demo logins that `npm start` (SEED_DEMO_DATA=true) creates, listed in the README and
 * printed when the server is ready. Never enable the seed against a shared or production table:
 * the password is public.
 */
export const DEMO_PASSWORD = 'demo-password-123';

export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  timeZone: string;
  locale?: Locale;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'admin@demo.takesessions.test', displayName: 'Morgan Ellis', role: Role.ADMIN, timeZone: 'Europe/London' },
  {
    email: 'teacher@demo.takesessions.test',
    displayName: 'Clara Whitfield',
    role: Role.TEACHER,
    timeZone: 'America/New_York',
  },
  {
    email: 'student@demo.takesessions.test',
    displayName: 'Jonas Becker',
    role: Role.STUDENT,
    timeZone: 'Europe/Berlin',
    locale: Locale.DE,
  },
];

/** `email / password (role)`, one line per demo account and one for the demo teachers, for the ready banner of main.ts. */
export function demoLoginLines(): string[] {
  return [
    'Demo logins (e-mail / password):',
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email} / ${DEMO_PASSWORD} (${a.role})`),
    `  teacher.01@demo.takesessions.test ... teacher.50@demo.takesessions.test / ${DEMO_PASSWORD} (TEACHER, published profiles)`,
  ];
}
