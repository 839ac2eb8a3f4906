import { registerDecorator, ValidationOptions } from 'class-validator';
import { isIso4217Currency } from '../iso-4217';
import { slugProblem } from '../slug';

const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const languages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
/** Region codes ICU knows that are not countries. */
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO', 'XA', 'XB']);

export function isCountryCode(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^[A-Z]{2}$/.test(value) &&
    !NOT_COUNTRIES.has(value) &&
    regions.of(value) !== undefined
  );
}

export function isLanguageCode(value: unknown): boolean {
  return typeof value === 'string' && /^[a-z]{2}$/.test(value) && languages.of(value) !== undefined;
}

/** An absolute http(s) URL with a host name and no credentials, at most 500 characters. */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 500) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname.includes('.') &&
    !url.username &&
    !url.password
  );
}

function simple(name: string, test: (value: unknown) => boolean, message: string) {
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

export const IsIso4217 = simple(
  'isIso4217',
  isIso4217Currency,
  '$property must be an ISO 4217 currency code such as EUR or USD',
);
export const IsCountryCode = simple(
  'isCountryCode',
  isCountryCode,
  '$property must be an ISO 3166-1 alpha-2 country code such as DE',
);
export const IsLanguageCode = simple(
  'isLanguageCode',
  isLanguageCode,
  '$property must hold ISO 639-1 language codes such as en or de',
);
export const IsHttpUrl = simple(
  'isHttpUrl',
  isHttpUrl,
  '$property must be an absolute http(s) URL of at most 500 characters',
);

/** Trims strings; other values pass unchanged (validation reports them). */
export { trim } from '@app/common';
export const trimEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;
export const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
export const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
export const lowerEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;

/** A slug that `slugProblem` accepts; the message says what is wrong. */
export function IsSlug(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSlug',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ value }) => (typeof value === 'string' ? slugProblem(value) : null) ?? 'slug must be a string',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && slugProblem(value) === null },
    });
}
