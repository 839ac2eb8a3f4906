import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  STUDENT = 'STUDENT',
  TEACHER = 'TEACHER',
  ADMIN = 'ADMIN',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may act as. Sign-up picks STUDENT or TEACHER; only an admin grants ADMIN.',
  valuesMap: {
    STUDENT: { description: 'Books lessons and reviews them.' },
    TEACHER: { description: 'Has a teacher profile, availability and lessons to give.' },
    ADMIN: { description: 'Moderates users, profiles and reviews.' },
  },
});

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  /** Deleted by its owner or an admin: no log-in, no e-mail (it may sign up again), name and media removed. */
  DELETED = 'DELETED',
}
registerEnumType(UserStatus, {
  name: 'UserStatus',
  description: 'Whether an account may log in.',
  valuesMap: {
    ACTIVE: { description: 'May log in and act.' },
    SUSPENDED: { description: 'Suspended by an admin: cannot log in or refresh; every token is revoked.' },
    DELETED: { description: 'Deleted by its owner or an admin: no log-in, e-mail freed, name and media removed.' },
  },
});

/** The language of a user's e-mails and notifications. */
export enum Locale {
  EN = 'en',
  DE = 'de',
}
registerEnumType(Locale, {
  name: 'Locale',
  description: 'Language of e-mails and notifications.',
  valuesMap: {
    EN: { description: 'English (the default).' },
    DE: { description: 'German.' },
  },
});

/** A user as the services see it (the stored item without key attributes or the password hash). */
export interface User {
  id: string;
  /** Empty once the account is deleted. */
  email: string;
  displayName: string;
  roles: Role[];
  timeZone: string;
  locale: Locale;
  status: UserStatus;
  /** The user proved they receive mail at `email` (accounts from before verification existed count as verified). */
  emailVerified: boolean;
  /** Bumped to invalidate every access token at once (log out everywhere, password change, suspension). */
  tokenVersion: number;
  /** The avatar, an id of the media feature (which checks it when it is set). */
  avatarMediaId?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Lower-cased, Unicode-normalised and trimmed: the form that must be unique. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
