import { Locale } from '../../users/user.types';
import { ALWAYS_SENT } from '../notification-categories';
import { formatMoney, formatWhen, zoneCity } from './mail-format';
import { MailRenderer, MailView, NO_FLAGS } from './mail-renderer';
import { MAIL_TEMPLATE_NAMES, MAIL_TEMPLATES } from './mail-templates';

const renderer = new MailRenderer();

function sampleView(locale: Locale, lessonMail: boolean, optionalCategory: boolean): MailView {
  const when = (iso: string) =>
    formatWhen(iso, 'America/New_York', locale, {
      date: renderer.raw('common', 'dateFormat', locale),
      time: renderer.raw('common', 'timeFormat', locale),
      when: renderer.raw('common', 'when', locale),
    });
  return {
    locale,
    vars: {
      name: 'Clara <Whitfield>',
      category: renderer.phrase('common', 'category.REMINDERS', locale, {}),
      email: 'clara@example.test',
      expires: when('2026-04-15T20:00:00Z'),
      newEmail: 'new@example.test',
      changedAt: when('2026-04-13T20:00:00Z'),
      other: 'Jonas & Co',
      teacher: 'Clara Whitfield',
      student: 'Jonas Becker',
      actor: 'Jonas Becker',
      when: when('2026-04-14T20:00:00Z'),
      previousWhen: when('2026-04-13T20:00:00Z'),
      feePercent: '50',
      fee: formatMoney(2250, 'EUR', locale),
      inTime: renderer.phrase('lesson-reminder', 'in24h', locale, {}),
      credits: renderer.phrase('credits-expiring', 'credits', locale, { count: '3' }),
    },
    links: {
      action: 'https://app.example.test/lessons/01ABC?x=1&y=2',
      preferences: 'https://app.example.test/settings/notifications',
      unsubscribe: optionalCategory ? 'https://api.example.test/notifications/unsubscribe?token=t' : null,
    },
    lesson: lessonMail
      ? {
          other: 'Jonas & Co',
          when: when('2026-04-14T20:00:00Z'),
          previousWhen: when('2026-04-13T20:00:00Z'),
          duration: renderer.phrase('common', 'minutes', locale, { count: '60' }),
          where: renderer.phrase('common', 'format.ONLINE', locale, {}),
          price: formatMoney(4500, 'EUR', locale),
          note: 'Bring the <Czerny> book',
          reason: 'Ill',
        }
      : null,
    flags: { ...NO_FLAGS, byYou: true, late: true, fee: true, needsConfirmation: true },
  };
}

describe('mail templates', () => {
  it('formats times in the recipient zone and language', () => {
    const en = { date: 'EEE d MMM', time: 'HH:mm', when: '{date}, {time}, {city} time' };
    expect(formatWhen('2026-04-14T20:00:00Z', 'America/New_York', Locale.EN, en)).toBe(
      'Tue 14 Apr, 16:00, New York time',
    );
    const de = { date: 'EEE d. MMM', time: 'HH:mm', when: '{date}, {time} Uhr, Ortszeit {city}' };
    expect(formatWhen('2026-04-14T20:00:00Z', 'Europe/Berlin', Locale.DE, de)).toBe(
      'Di. 14. Apr., 22:00 Uhr, Ortszeit Berlin',
    );
    expect(zoneCity('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(formatMoney(4500, 'EUR', Locale.EN)).toBe('€45.00');
    expect(formatMoney(4500, 'EUR', Locale.DE)).toBe('45,00\u00a0€');
    expect(formatMoney(4500, 'JPY', Locale.EN)).toBe('JP¥4,500');
  });

  const cases = MAIL_TEMPLATE_NAMES.flatMap((template) =>
    [Locale.EN, Locale.DE].map((locale) => ({ template, locale })),
  );

  it.each(cases)('renders $template in $locale as HTML and plain text', ({ template, locale }) => {
    const lessonMail = template.startsWith('lesson-');
    const optional = !ALWAYS_SENT.has(MAIL_TEMPLATES[template].category);
    const mail = renderer.render(template, sampleView(locale, lessonMail, optional));
    expect(mail.subject.length).toBeGreaterThan(5);
    for (const part of [mail.subject, mail.html, mail.text]) {
      expect(part).not.toMatch(/\{\w+\}|undefined|\[object Object\]/);
    }
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain(`<html lang="${locale}">`);
    // Values are escaped in HTML and kept as they are in text.
    expect(mail.html).toContain('Clara &lt;Whitfield&gt;');
    expect(mail.text).toContain('Clara <Whitfield>');
    expect(mail.text).not.toMatch(/<\/?(p|a|table|td|br)\b/);
    expect(mail.text).toContain('https://app.example.test/settings/notifications');
    if (lessonMail && template !== 'lesson-completed') {
      expect(mail.text).toContain(
        locale === Locale.EN ? 'Tue 14 Apr, 16:00, New York time' : 'Di. 14. Apr., 16:00 Uhr',
      );
      expect(mail.html).toContain('Bring the &lt;Czerny&gt; book');
    }
    if (optional) expect(mail.text).toContain('unsubscribe?token=t');
    else expect(mail.text).not.toContain('unsubscribe');
    // Both catalogues say it in their own words: no English left in a German mail's subject.
    if (locale === Locale.DE) {
      const english = renderer.render(template, sampleView(Locale.EN, lessonMail, optional));
      expect(mail.subject).not.toBe(english.subject);
    }
  });

  it('every phrase of each catalogue exists in the other', () => {
    const keys = (locale: Locale) => {
      const out: string[] = [];
      const walk = (node: unknown, path: string) => {
        if (typeof node === 'string') out.push(path);
        else for (const [k, v] of Object.entries(node as object)) walk(v, path ? `${path}.${k}` : k);
      };
      walk((renderer as unknown as { catalogues: Record<Locale, unknown> }).catalogues[locale], '');
      return out.sort();
    };
    expect(keys(Locale.DE)).toEqual(keys(Locale.EN));
  });

  it('a missing phrase or placeholder fails loudly instead of sending half a mail', () => {
    expect(() => renderer.phrase('lesson-confirmed', 'nope', Locale.EN, {})).toThrow(/no phrase lesson-confirmed.nope/);
    expect(() => renderer.phrase('lesson-confirmed', 'subject', Locale.EN, { teacher: 'x' })).toThrow(/needs \{when\}/);
  });
});
