import { Injectable } from '@nestjs/common';
import { Clock, ValidationFailedError } from '@app/common';
import { ALWAYS_SENT, NotificationCategory } from '../notification-categories';
import { NotificationPreferencesRepository } from './notification-preferences.repository';

export interface CategoryPreference {
  category: NotificationCategory;
  email: boolean;
  canDisable: boolean;
}

/** Which mails a user gets, per category; account and security mails cannot be switched off. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    private readonly preferences: NotificationPreferencesRepository,
    private readonly clock: Clock,
  ) {}

  async list(userId: string): Promise<CategoryPreference[]> {
    return this.present(await this.preferences.emailOff(userId));
  }

  async update(userId: string, changes: Array<{ category: NotificationCategory; email: boolean }>) {
    const problems = changes.flatMap((c, i) =>
      ALWAYS_SENT.has(c.category) && !c.email
        ? [{ field: `input.${i}.email`, message: `${c.category} mails cannot be switched off` }]
        : [],
    );
    const seen = new Set<NotificationCategory>();
    changes.forEach((c, i) => {
      if (seen.has(c.category))
        problems.push({ field: `input.${i}.category`, message: `${c.category} is listed twice` });
      seen.add(c.category);
    });
    if (problems.length) throw new ValidationFailedError(problems);
    const off = changes.filter((c) => !c.email).map((c) => c.category);
    const on = changes.filter((c) => c.email).map((c) => c.category);
    return this.present(await this.preferences.set(userId, off, on, this.clock.now()));
  }

  /** The one-click unsubscribe of a mail's footer or List-Unsubscribe header. */
  async switchOff(userId: string, category: NotificationCategory): Promise<void> {
    if (ALWAYS_SENT.has(category)) return;
    await this.preferences.set(userId, [category], [], this.clock.now());
  }

  async allowsEmail(userId: string, category: NotificationCategory): Promise<boolean> {
    if (ALWAYS_SENT.has(category)) return true;
    return !(await this.preferences.emailOff(userId)).includes(category);
  }

  private present(off: string[]): CategoryPreference[] {
    return Object.values(NotificationCategory).map((category) => ({
      category,
      email: !off.includes(category),
      canDisable: !ALWAYS_SENT.has(category),
    }));
  }
}
