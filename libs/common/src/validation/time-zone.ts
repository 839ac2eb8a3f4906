import { registerDecorator, ValidationOptions } from 'class-validator';

/** The canonical IANA name of a zone (`america/new_york` → `America/New_York`), or null when unknown. */
export function canonicalTimeZone(zone: string): string | null {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return null;
  // Fixed offsets like "+02:00" are not IANA zones and do not follow daylight saving.
  if (!/^[A-Za-z]/.test(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
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
      options: { message: ({ property, value }) => `${property} must be an IANA time zone such as Europe/Berlin, got "${value}"`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) !== null },
    });
}
