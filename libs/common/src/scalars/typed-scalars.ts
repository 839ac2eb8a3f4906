import { GraphQLScalarType, Kind, ValueNode } from 'graphql';
import {
  GraphQLCurrency,
  GraphQLEmailAddress,
  GraphQLLocalDate,
  GraphQLLocalEndTime,
  GraphQLLocalTime,
  GraphQLTimeZone,
} from 'graphql-scalars';
import { canonicalTimeZone } from '../validation/time-zone';
import { RefusedScalarValue } from './refused-scalar-value';

interface TypedScalarSpec {
  /** The graphql-scalars type whose name, specifiedBy URL and validation are reused. */
  base: GraphQLScalarType;
  description: string;
  /** What a valid value looks like, for the error message ("must be …"). */
  rule: string;
  /** Turns an accepted input into the value services get (e.g. canonical spelling); null refuses it. */
  normalise?: (value: string) => string | null;
  /** Applied before the base check (e.g. trimming). */
  prepare?: (value: string) => string;
}

/**
 * A graphql-scalars type with our input rules: the base validates, `normalise` canonicalises, and
 * a refused value becomes a RefusedScalarValue (whose message does not echo the possibly huge
 * value), reported by the validation pipe together with every other problem of the request.
 * Output passes stored strings through: they were checked on the way in, and a read must not fail
 * because a rule got stricter since.
 */
function typedScalar(spec: TypedScalarSpec): GraphQLScalarType<string | RefusedScalarValue, string> {
  const { base } = spec;
  const refused = new RefusedScalarValue(base.name, spec.rule);
  const parse = (value: unknown): string | RefusedScalarValue => {
    if (typeof value !== 'string') return refused;
    const prepared = spec.prepare ? spec.prepare(value) : value;
    let accepted: string;
    try {
      accepted = base.parseValue(prepared) as string;
    } catch {
      return refused;
    }
    return (spec.normalise ? spec.normalise(accepted) : accepted) ?? refused;
  };
  return new GraphQLScalarType<string | RefusedScalarValue, string>({
    name: base.name,
    description: spec.description,
    specifiedByURL: base.specifiedByURL,
    serialize: (value) => {
      if (typeof value !== 'string') throw new TypeError(`${base.name} cannot represent a ${typeof value}`);
      return value;
    },
    parseValue: (value) => parse(value),
    parseLiteral: (node: ValueNode) => parse(node.kind === Kind.STRING ? node.value : undefined),
  });
}

/** A calendar date without a zone, e.g. an availability override or the last date of a series. */
export const LocalDateScalar = typedScalar({
  base: GraphQLLocalDate,
  description: 'A calendar date without a time zone, `YYYY-MM-DD` (e.g. `2027-03-14`); the zone is given by context.',
  rule: 'must be a calendar date YYYY-MM-DD',
});

/** A wall-clock time without a zone (start of a window). */
export const LocalTimeScalar = typedScalar({
  base: GraphQLLocalTime,
  description:
    'A wall-clock time without a time zone, 24-hour `HH:mm` (seconds `HH:mm:ss` are accepted where a field allows them).',
  rule: 'must be a 24-hour time HH:mm',
});

/** A wall-clock end time: like LocalTime, plus `24:00` for the end of the day. */
export const LocalEndTimeScalar = typedScalar({
  base: GraphQLLocalEndTime,
  description: 'The exclusive end of a wall-clock time range, 24-hour `HH:mm`; `24:00` is the end of the day.',
  rule: 'must be a 24-hour time HH:mm, or 24:00',
});

/** An IANA zone; input is answered with its canonical current name (`europe/kiev` → `Europe/Kyiv`). */
export const TimeZoneScalar = typedScalar({
  base: GraphQLTimeZone,
  description:
    'An IANA time zone name such as `Europe/Berlin`. Input is case-insensitive and stored under its current canonical name; fixed offsets are refused.',
  rule: 'must be an IANA time zone such as Europe/Berlin',
  normalise: canonicalTimeZone,
});

/** An ISO 4217 currency code, upper case on the way in. */
export const CurrencyScalar = typedScalar({
  base: GraphQLCurrency,
  description: 'An ISO 4217 currency code such as `EUR` (input is case-insensitive; output is upper case).',
  rule: 'must be an ISO 4217 currency code such as EUR',
  normalise: (value) => value.toUpperCase(),
});

/** An e-mail address (the HTML form rules); surrounding whitespace is ignored on input. */
export const EmailAddressScalar = typedScalar({
  base: GraphQLEmailAddress,
  description:
    'An e-mail address as HTML forms accept it (e.g. `ada@example.com`); surrounding spaces are ignored on input.',
  rule: 'must be an e-mail address such as ada@example.com',
  prepare: (value) => value.trim(),
});
