import { registerDecorator, ValidationOptions } from 'class-validator';

/** Where lessons happen: the inputs bookings and teacher profiles share. */

export const MEETING_URL_MAX_LENGTH = 500;
export const ADDRESS_MIN_LENGTH = 5;
export const ADDRESS_MAX_LENGTH = 300;

/** An absolute https URL with a host name and no credentials (a video room), at most 500 characters. */
export function isMeetingUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MEETING_URL_MAX_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password;
}

/** A postal address as people write it: 5-300 characters, lines separated by newlines, no other control characters. */
export function isAddress(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length >= ADDRESS_MIN_LENGTH &&
    value.length <= ADDRESS_MAX_LENGTH &&
    // eslint-disable-next-line no-control-regex -- control characters are what this rejects
    !/[\u0000-\u0009\u000b-\u001f\u007f]/.test(value)
  );
}

function rule(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate: (value: unknown) => test(value) },
      });
}

export const IsMeetingUrl = rule(
  'isMeetingUrl',
  isMeetingUrl,
  `$property must be an absolute https URL of at most ${MEETING_URL_MAX_LENGTH} characters`,
);
export const IsAddress = rule(
  'isAddress',
  isAddress,
  `$property must be an address of ${ADDRESS_MIN_LENGTH}-${ADDRESS_MAX_LENGTH} characters (lines separated by newlines)`,
);
