import { CustomScalar, Scalar } from '@nestjs/graphql';
import { GraphQLError, GraphQLScalarType, Kind, print, ValueNode } from 'graphql';
import { ScalarValueError } from './scalar-value-error';

/**
 * ISO-8601 / RFC 3339 date-time with a mandatory zone designator:
 * `YYYY-MM-DDTHH:mm[:ss[.fraction]](Z|±HH:MM)`.
 */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

const DESCRIPTION =
  'An instant as an ISO-8601 date-time string with a time zone offset, e.g. `2024-01-01T10:00:00Z` ' +
  'or `2024-01-01T11:00:00+01:00`. Always serialized in UTC with millisecond precision.';

/** `rule` completes "DateTime …"; the error formatter answers it as BAD_USER_INPUT naming the field. */
function invalid(rule: string, valueNode?: ValueNode): GraphQLError {
  return new ScalarValueError('DateTime', rule, valueNode);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Parses an ISO-8601 date-time with an explicit offset or `Z`; returns null when the string is
 * not one (wrong shape, missing zone, or an impossible calendar date/time).
 */
export function parseIsoDateTime(value: string): Date | null {
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;

  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offH = Number(m[10]);
    const offM = Number(m[11]);
    if (offH > 23 || offM > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offH * 60 + offM);
  }

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 literal
  date.setUTCHours(hour, minute, second, millis);
  const time = date.getTime() - offsetMinutes * 60_000;
  return Number.isNaN(time) ? null : new Date(time);
}

/** A short, safe rendering of an offending value for error messages. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date object';
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value).slice(0, 64)}`;
}

function parseString(value: string, valueNode?: ValueNode): Date {
  const date = parseIsoDateTime(value);
  if (date) return date;
  // Right shape but an impossible date (2023-02-29) or time (24:00), vs. not the format at all.
  if (ISO_DATE_TIME.test(value)) throw invalid(`is not a valid date or time: ${show(value)}`, valueNode);
  throw invalid(`must be an ISO-8601 string with a time zone offset, got ${show(value)}`, valueNode);
}

/**
 * The `DateTime` scalar, mapped to JavaScript `Date`. Register it once, either as a provider
 * (`providers: [DateTimeScalar]`, the class is discovered by `@nestjs/graphql`) or, where a
 * GraphQLScalarType is needed, through `buildSchemaOptions.scalarsMap:
 * [{ type: Date, scalar: GraphQLDateTime }]` — not both.
 */
@Scalar('DateTime', () => Date)
export class DateTimeScalar implements CustomScalar<string, Date> {
  description = DESCRIPTION;
  specifiedByURL = 'https://scalars.graphql.org/andimarek/date-time';

  /** Input from variables (JSON). */
  parseValue(value: unknown): Date {
    if (typeof value !== 'string') {
      throw invalid(`must be an ISO-8601 string with a time zone offset, got ${show(value)}`);
    }
    return parseString(value);
  }

  /** Input written inline in the query document. */
  parseLiteral(valueNode: ValueNode): Date {
    if (valueNode.kind !== Kind.STRING) {
      throw invalid(`must be an ISO-8601 string with a time zone offset, got ${print(valueNode)}`, valueNode);
    }
    return parseString(valueNode.value, valueNode);
  }

  /** Output: a Date (or an ISO-8601 string with a zone, as stored) -> `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  serialize(value: unknown): string {
    let date: Date | null = null;
    if (value instanceof Date) date = value;
    else if (typeof value === 'string') date = parseIsoDateTime(value);
    if (!date || Number.isNaN(date.getTime())) {
      throw new GraphQLError(`DateTime cannot represent ${show(value)}`);
    }
    return date.toISOString();
  }
}

const dateTime = new DateTimeScalar();

/** The same scalar as a graphql-js type, for `scalarsMap` or schema-building outside Nest. */
export const GraphQLDateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: dateTime.description,
  specifiedByURL: dateTime.specifiedByURL,
  serialize: (value) => dateTime.serialize(value),
  parseValue: (value) => dateTime.parseValue(value),
  parseLiteral: (valueNode) => dateTime.parseLiteral(valueNode),
});
