import { Injectable } from '@nestjs/common';
import { Clock, decodeAfter, encodeCursor, type Page } from '@app/common';
import { SubscriptionFanout } from '../realtime/subscription-fanout';
import { Notification } from './in-app/notification.schema';
import { NotificationsRepository } from './in-app/notifications.repository';
import { MailComposer } from './mail/mail-composer';
import type { MailData } from './mail/mail-data';
import { MailQueue } from './mail/mail-queue.service';
import { MAIL_TEMPLATES, MailTemplate } from './mail/mail-templates';
import { NotificationModel } from './models/notification.model';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';

/** Something to tell one user: a mail (if their preferences allow) and, for most, an in-app notification. */
export interface Notice {
  /** Unique per notice and stable across repeats of its cause: the mail's message id and the notification's id. */
  id: string;
  template: MailTemplate;
  recipientId: string;
  data: MailData;
}

const channel = (userId: string) => `notifications.${userId}`;

/**
 * Tells users what happened, once: every notice becomes at most one queued mail (MailQueue) and
 * one in-app notification (pushed to the user's open `notificationAdded` subscriptions), both
 * keyed by the notice id, so the repeated deliveries of the outbox add nothing.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly composer: MailComposer,
    private readonly mail: MailQueue,
    private readonly preferences: NotificationPreferencesService,
    private readonly fanout: SubscriptionFanout,
    private readonly clock: Clock,
  ) {}

  async notify(notice: Notice): Promise<void> {
    const prepared = await this.composer.prepare(notice.template, notice.recipientId, notice.data);
    if (!prepared) return;
    const { category, inApp } = MAIL_TEMPLATES[notice.template];
    if (inApp) {
      const { title, body, link } = this.composer.headline(prepared);
      const entry: Notification = {
        _id: notice.id,
        userId: notice.recipientId,
        kind: notice.template,
        title,
        body,
        link,
        lessonId: prepared.lesson?.lessonId ?? null,
        createdAt: this.clock.now(),
        readAt: null,
      };
      if (await this.notifications.insert(entry))
        await this.fanout.notify(channel(notice.recipientId), { notificationAdded: present(entry) });
    }
    if (await this.preferences.allowsEmail(notice.recipientId, category))
      await this.mail.enqueue(notice.id, notice.template, notice.recipientId, notice.data);
  }

  async page(userId: string, first: number, after?: string, unreadOnly = false): Promise<Page<NotificationModel>> {
    const cursor = decodeAfter<{ t: string; id: string }>(
      after,
      (p) => typeof p.t === 'string' && !Number.isNaN(Date.parse(p.t)) && typeof p.id === 'string',
    );
    const rows = await this.notifications.page(userId, first, {
      unreadOnly,
      after: cursor ? { createdAt: new Date(cursor.t), id: cursor.id } : undefined,
    });
    const items = rows.slice(0, first).map(present);
    const cursorOf = (n: NotificationModel) => encodeCursor({ t: n.createdAt.toISOString(), id: n.id });
    return { items, nextCursor: rows.length > first ? cursorOf(items[items.length - 1]) : null, cursorOf };
  }

  unreadCount(userId: string): Promise<number> {
    return this.notifications.unreadCount(userId);
  }

  /** Marks the viewer's notifications read (only theirs: others' ids are ignored); returns what stays unread. */
  async markRead(userId: string, ids?: string[]): Promise<number> {
    await this.notifications.markRead(userId, ids, this.clock.now());
    return this.notifications.unreadCount(userId);
  }

  subscribe(userId: string) {
    return this.fanout.subscribe(channel(userId));
  }
}

function present(n: Notification): NotificationModel {
  return {
    id: n._id,
    kind: n.kind,
    category: MAIL_TEMPLATES[n.kind as MailTemplate]?.category,
    title: n.title,
    body: n.body,
    link: n.link,
    lessonId: n.lessonId,
    createdAt: new Date(n.createdAt),
    readAt: n.readAt ? new Date(n.readAt) : null,
  };
}
