import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * Node's ICU data resolves some zones to names IANA has since renamed; clients expect the current
 * ones. (Both spellings stay valid time zones, so stored values of either kind keep working.)
 */
const CURRENT_IANA_NAME: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

/** The canonical IANA name of a zone (`america/new_york` → `America/New_York`), or null when unknown. */
export function canonicalTimeZone(zone: string): string | null {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return null;
  // Fixed offsets like "+02:00" are not IANA zones and do not follow daylight saving.
  if (!/^[A-Za-z]/.test(zone)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return CURRENT_IANA_NAME[resolved] ?? resolved;
  } catch {
    return null;
  }
}

export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property, value }) => `${property} must be an IANA time zone such as Europe/Berlin, got "${value}"`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) !== null },
    });
}
