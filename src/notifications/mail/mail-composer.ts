import { Injectable } from '@nestjs/common';
import { Clock, lessonCalendarSequence, lessonCalendarUid, renderICalendar } from '@app/common';
import { AccountTokenPurpose, AccountTokensService } from '../../auth/account-tokens.service';
import { AppConfig } from '../../config/app-config';
import { LoaderFactory } from '../../graphql/request-loaders';
import { Locale, User, UserStatus } from '../../users/user.types';
import { UsersService } from '../../users/users.service';
import { ALWAYS_SENT, NotificationCategory } from '../notification-categories';
import { UnsubscribeTokens } from '../preferences/unsubscribe-tokens';
import type { LessonSnapshot, MailData } from './mail-data';
import { formatMoney, formatWhen } from './mail-format';
import { LessonView, MailRenderer, MailView, NO_FLAGS, RenderedMail } from './mail-renderer';
import { MAIL_TEMPLATES, MailTemplate } from './mail-templates';

/** A mail ready for the transport. */
export interface ComposedMail {
  template: MailTemplate;
  category: NotificationCategory;
  to: { address: string; name: string };
  locale: Locale;
  rendered: RenderedMail;
  /** The lesson as an iCalendar invitation (RFC 5546), for the mails about a lesson that is in a calendar. */
  calendar: { method: 'REQUEST' | 'CANCEL'; content: string } | null;
  /** One-click unsubscribe (RFC 8058) for categories a user may switch off. */
  unsubscribeUrl: string | null;
}

/** What a notice says, in its recipient's language and zone, before it becomes a mail. */
export interface PreparedNotice {
  template: MailTemplate;
  recipient: User;
  to: string;
  view: MailView;
  lesson: LessonSnapshot | null;
}

/** Which lesson mails carry an invitation, and which kind. */
const INVITATION: Partial<Record<MailTemplate, 'REQUEST' | 'CANCEL'>> = {
  'lesson-requested': 'REQUEST',
  'lesson-confirmed': 'REQUEST',
  'lesson-rescheduled': 'REQUEST',
  'lesson-reminder': 'REQUEST',
  'lesson-declined': 'CANCEL',
  'lesson-cancelled': 'CANCEL',
  'lesson-expired': 'CANCEL',
};

/**
 * Turns a queued mail (template, recipient, data) into what the recipient reads: their name,
 * language and time zone, the other side's name, links into the web app, the iCalendar invitation
 * and the unsubscribe link. Read fresh when the mail is sent, so a renamed teacher or a changed
 * time zone shows as it is then.
 */
@Injectable()
export class MailComposer {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly loaders: LoaderFactory,
    private readonly tokens: AccountTokensService,
    private readonly renderer: MailRenderer,
    private readonly unsubscribe: UnsubscribeTokens,
    private readonly clock: Clock,
  ) {}

  /** Null when there is nobody to send it to any more (account gone, address changed since). */
  async prepare(template: MailTemplate, recipientId: string, data: MailData): Promise<PreparedNotice | null> {
    const ids =
      data.kind === 'lesson'
        ? [recipientId, data.lesson.teacherId, data.lesson.studentId]
        : data.kind === 'credits'
          ? [recipientId, data.teacherId]
          : [recipientId];
    const found = await this.users.findMany(this.loaders.create(), [...new Set(ids)]);
    const people = new Map(found.filter((u): u is User => u !== null).map((u) => [u.id, u]));
    const recipient = people.get(recipientId);
    // A deleted account is a tombstone without an address: nothing reaches it any more.
    if (!recipient || recipient.status === UserStatus.DELETED || !recipient.email) return null;
    if (data.kind === 'account') {
      // A link bound to an address the account has left would not work: do not send it.
      if (data.tokenId && recipient.email !== data.email) return null;
      return {
        template,
        recipient,
        to: data.to ?? recipient.email,
        view: this.accountView(template, recipient, data),
        lesson: null,
      };
    }
    if (data.kind === 'credits') {
      const view = this.creditsView(template, recipient, data, people.get(data.teacherId)?.displayName ?? '—');
      return { template, recipient, to: recipient.email, view, lesson: null };
    }
    const view = this.lessonView(template, recipient, data.lesson, people, data.offset);
    return { template, recipient, to: recipient.email, view, lesson: data.lesson };
  }

  render(prepared: PreparedNotice): ComposedMail {
    const { template, recipient, view, lesson } = prepared;
    const category = MAIL_TEMPLATES[template].category;
    const method = INVITATION[template];
    return {
      template,
      category,
      to: { address: prepared.to, name: recipient.displayName },
      locale: recipient.locale,
      rendered: this.renderer.render(template, view),
      calendar: lesson && method ? { method, content: this.invitation(lesson, recipient, view, method) } : null,
      unsubscribeUrl: view.links.unsubscribe,
    };
  }

  /** Title and one line for the in-app list, in the recipient's language. */
  headline(prepared: PreparedNotice): { title: string; body: string; link: string | null } {
    const { template, view } = prepared;
    return {
      title: this.renderer.phrase(template, 'subject', view.locale, view.vars),
      body: this.renderer.phrase(template, 'summary', view.locale, view.vars),
      link: view.links.action,
    };
  }

  private accountView(template: MailTemplate, recipient: User, data: Extract<MailData, { kind: 'account' }>): MailView {
    const web = this.config.publicWebUrl;
    const locale = recipient.locale;
    const when = (iso: string | undefined) => (iso ? this.when(iso, recipient.timeZone, locale) : '');
    let action: string;
    if (template === 'verify-email' || template === 'password-reset') {
      const purpose =
        template === 'verify-email' ? AccountTokenPurpose.VERIFY_EMAIL : AccountTokenPurpose.RESET_PASSWORD;
      const token = this.tokens.tokenFor(purpose, recipient.id, data.tokenId!);
      action = `${web}/${template === 'verify-email' ? 'verify-email' : 'reset-password'}?token=${encodeURIComponent(token)}`;
    } else {
      action = `${web}/forgot-password`;
    }
    return {
      locale,
      vars: {
        ...this.baseVars(template, recipient),
        email: data.email || recipient.email,
        expires: when(data.expiresAt),
        newEmail: data.newEmail ?? '',
        changedAt: when(data.changedAt),
      },
      links: this.links(template, recipient, action),
      lesson: null,
      flags: NO_FLAGS,
    };
  }

  /** Credits about to expire: how many, with whom, until when; the button books a lesson with the teacher. */
  private creditsView(
    template: MailTemplate,
    recipient: User,
    data: Extract<MailData, { kind: 'credits' }>,
    teacher: string,
  ): MailView {
    const locale = recipient.locale;
    const count = String(data.credits);
    return {
      locale,
      vars: {
        ...this.baseVars(template, recipient),
        teacher,
        credits: this.renderer.phrase(template, data.credits === 1 ? 'oneCredit' : 'credits', locale, { count }),
        expires: this.when(data.expiresAt, recipient.timeZone, locale),
      },
      links: this.links(template, recipient, `${this.config.publicWebUrl}/teachers/${data.teacherId}`),
      lesson: null,
      flags: NO_FLAGS,
    };
  }

  private lessonView(
    template: MailTemplate,
    recipient: User,
    lesson: LessonSnapshot,
    people: Map<string, User>,
    offset: '24h' | '1h' | undefined,
  ): MailView {
    const locale = recipient.locale;
    const zone = recipient.timeZone;
    const isTeacher = recipient.id === lesson.teacherId;
    const nameOf = (id: string) => people.get(id)?.displayName ?? '—';
    const teacher = nameOf(lesson.teacherId);
    const student = nameOf(lesson.studentId);
    const other = isTeacher ? student : teacher;
    const actor = lesson.by === lesson.teacherId ? teacher : lesson.by === lesson.studentId ? student : 'Take Sessions';
    const cancellation = lesson.cancellation;
    const feeMinor = cancellation ? Math.round((lesson.priceMinor * cancellation.feePercent) / 100) : 0;
    const view: LessonView = {
      other,
      when: this.when(lesson.start, zone, locale),
      previousWhen: lesson.previousStart ? this.when(lesson.previousStart, zone, locale) : null,
      duration: this.renderer.phrase('common', 'minutes', locale, { count: String(lesson.durationMinutes) }),
      where: this.renderer.phrase('common', `format.${lesson.format}`, locale, {}),
      price: formatMoney(lesson.priceMinor, lesson.currency, locale),
      note: lesson.note ?? null,
      reason: (cancellation?.reason ?? null) || null,
    };
    const web = this.config.publicWebUrl;
    const action =
      template === 'lesson-completed'
        ? `${web}/lessons/${lesson.lessonId}/review`
        : (template === 'lesson-declined' || template === 'lesson-expired') && !isTeacher
          ? `${web}/teachers/${lesson.teacherId}`
          : `${web}/lessons/${lesson.lessonId}`;
    return {
      locale,
      vars: {
        ...this.baseVars(template, recipient),
        other,
        teacher,
        student,
        actor,
        when: view.when,
        previousWhen: view.previousWhen ?? '',
        feePercent: String(cancellation?.feePercent ?? 0),
        fee: formatMoney(feeMinor, lesson.currency, locale),
        inTime: offset ? this.renderer.phrase('lesson-reminder', offset === '24h' ? 'in24h' : 'in1h', locale, {}) : '',
      },
      links: this.links(template, recipient, action),
      lesson: view,
      flags: {
        byYou: lesson.by === recipient.id,
        late: cancellation?.late ?? false,
        fee: (cancellation?.feePercent ?? 0) > 0,
        // A student's move of a confirmed lesson waits for the teacher again.
        needsConfirmation: template === 'lesson-rescheduled' && lesson.status === 'PENDING' && isTeacher,
        awaitsTeacher: template === 'lesson-rescheduled' && lesson.status === 'PENDING' && !isTeacher,
        forTeacher: isTeacher,
      },
    };
  }

  private baseVars(template: MailTemplate, recipient: User): Record<string, string> {
    const category = MAIL_TEMPLATES[template].category;
    return {
      name: recipient.displayName,
      category: this.renderer.phrase('common', `category.${category}`, recipient.locale, {}),
    };
  }

  private links(template: MailTemplate, recipient: User, action: string): MailView['links'] {
    const category = MAIL_TEMPLATES[template].category;
    return {
      action,
      preferences: `${this.config.publicWebUrl}/settings/notifications`,
      unsubscribe: ALWAYS_SENT.has(category) ? null : this.unsubscribe.url(recipient.id, category),
    };
  }

  private when(iso: string, zone: string, locale: Locale): string {
    const phrase = (key: string) => this.renderer.raw('common', key, locale);
    return formatWhen(iso, zone, locale, {
      date: phrase('dateFormat'),
      time: phrase('timeFormat'),
      when: phrase('when'),
    });
  }

  private invitation(lesson: LessonSnapshot, recipient: User, view: MailView, method: 'REQUEST' | 'CANCEL'): string {
    const status = method === 'CANCEL' ? 'CANCELLED' : lesson.status === 'CONFIRMED' ? 'CONFIRMED' : 'TENTATIVE';
    const from = parseAddress(this.config.MAIL_FROM);
    return renderICalendar({
      method,
      events: [
        {
          uid: lessonCalendarUid(lesson.lessonId),
          sequence: lessonCalendarSequence(lesson.version),
          start: new Date(lesson.start),
          end: new Date(lesson.end),
          timeZone: recipient.timeZone,
          summary: this.renderer.phrase('common', 'lessonTitle', recipient.locale, { other: view.lesson!.other }),
          description: `${view.lesson!.duration}, ${view.lesson!.where}`,
          url: `${this.config.publicWebUrl}/lessons/${lesson.lessonId}`,
          status,
          stamp: this.clock.now(),
          organizer: from,
          attendees: [{ email: recipient.email, name: recipient.displayName }],
        },
      ],
    });
  }
}

/** `Name <address>` or a bare address. */
export function parseAddress(value: string): { email: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  return m ? { email: m[2], ...(m[1] ? { name: m[1].replace(/^"|"$/g, '') } : {}) } : { email: value.trim() };
}
