import { DateTime } from 'luxon';
import { Locale } from '../../users/user.types';

/** The city of an IANA zone as people say it: America/New_York → "New York". */
export function zoneCity(zone: string): string {
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}

/** "Tue 14 Apr, 16:00, New York time" (the patterns come from the catalogue of the locale). */
export function formatWhen(
  instant: string | Date,
  zone: string,
  locale: Locale,
  patterns: { date: string; time: string; when: string },
): string {
  const at = typeof instant === 'string' ? DateTime.fromISO(instant, { zone }) : DateTime.fromJSDate(instant, { zone });
  const local = at.setLocale(locale);
  return patterns.when
    .replace('{date}', local.toFormat(patterns.date))
    .replace('{time}', local.toFormat(patterns.time))
    .replace('{city}', zoneCity(zone));
}

const NUMBER_LOCALE: Record<Locale, string> = { [Locale.EN]: 'en-GB', [Locale.DE]: 'de-DE' };

/** Minor units of an ISO 4217 currency as the reader writes money: "€45.00", "45,00 €". */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const format = new Intl.NumberFormat(NUMBER_LOCALE[locale], { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
