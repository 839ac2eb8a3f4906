import { Kind } from 'graphql';
import { ConflictError } from '../errors/domain-errors';
import { RefusedScalarValue } from './refused-scalar-value';
import {
  CurrencyScalar,
  EmailAddressScalar,
  LocalDateScalar,
  LocalEndTimeScalar,
  LocalTimeScalar,
  TimeZoneScalar,
} from './typed-scalars';

/** A refused value comes back as a RefusedScalarValue, for the validation pipe to report. */
const refused = (parse: () => unknown): RefusedScalarValue => {
  const value = parse();
  expect(value).toBeInstanceOf(RefusedScalarValue);
  return value as RefusedScalarValue;
};

describe('typed scalars (graphql-scalars with our input rules)', () => {
  it('LocalDate accepts calendar dates only', () => {
    expect(LocalDateScalar.parseValue('2028-02-29')).toBe('2028-02-29');
    for (const bad of ['2027-02-29', '2027-13-01', '27-01-01', '2027-01-01T00:00:00Z', 20270101])
      expect(refused(() => LocalDateScalar.parseValue(bad)).rule).toBe('must be a calendar date YYYY-MM-DD');
  });

  it('LocalTime is HH:mm (24 h); LocalEndTime also allows 24:00', () => {
    expect(LocalTimeScalar.parseValue('16:45')).toBe('16:45');
    refused(() => LocalTimeScalar.parseValue('24:00'));
    refused(() => LocalTimeScalar.parseValue('9:00'));
    expect(LocalEndTimeScalar.parseValue('24:00')).toBe('24:00');
    refused(() => LocalEndTimeScalar.parseValue('24:15'));
  });

  it('TimeZone answers the canonical current name and refuses offsets and unknown zones', () => {
    expect(TimeZoneScalar.parseValue('america/new_york')).toBe('America/New_York');
    expect(TimeZoneScalar.parseValue('Europe/Kiev')).toBe('Europe/Kyiv');
    for (const bad of ['+02:00', 'Mars/Olympus_Mons', '', 'x'.repeat(100)])
      refused(() => TimeZoneScalar.parseValue(bad));
  });

  it('Currency is ISO 4217, upper case', () => {
    expect(CurrencyScalar.parseValue('eur')).toBe('EUR');
    refused(() => CurrencyScalar.parseValue('EURO'));
  });

  it('EmailAddress ignores surrounding spaces and refuses what is not an address', () => {
    expect(EmailAddressScalar.parseValue('  ada@example.com ')).toBe('ada@example.com');
    refused(() => EmailAddressScalar.parseValue('ada at example.com'));
  });

  it('a refusal written in the query does not echo a huge value', () => {
    const node = { kind: Kind.STRING, value: 'y'.repeat(10_000) } as const;
    const value = refused(() => LocalDateScalar.parseLiteral(node, undefined));
    expect(`${value.scalar} ${value.rule}`.length).toBeLessThan(100);
    refused(() => LocalDateScalar.parseLiteral({ kind: Kind.INT, value: '1' }, undefined));
  });

  it('output passes stored strings through', () => {
    expect(TimeZoneScalar.serialize('Asia/Calcutta')).toBe('Asia/Calcutta');
    expect(() => TimeZoneScalar.serialize(42)).toThrow();
  });
});

describe('ConflictError', () => {
  it('needs a SCREAMING_SNAKE_CASE reason', () => {
    expect(new ConflictError('taken', { reason: 'SLUG_TAKEN', field: 'input.slug' }).details).toEqual({
      reason: 'SLUG_TAKEN',
      field: 'input.slug',
    });
    expect(() => new ConflictError('x', { reason: 'SLUG TAKEN' })).toThrow(TypeError);
    expect(new ConflictError('x', { reason: 'STALE', currentStatus: undefined }).details).toEqual({ reason: 'STALE' });
  });
});
