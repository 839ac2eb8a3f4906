import {
  graphql,
  GraphQLError,
  GraphQLObjectType,
  GraphQLSchema,
  Kind,
  parseValue as parseGraphQLValue,
  ValueNode,
} from 'graphql';
import { DateTimeScalar, GraphQLDateTime, parseIsoDateTime } from './date-time.scalar';

const scalar = new DateTimeScalar();

function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    return err as GraphQLError;
  }
  throw new Error('expected a GraphQLError, nothing was thrown');
}

const literal = (source: string): ValueNode => parseGraphQLValue(source);

describe('DateTime scalar', () => {
  describe('serialize', () => {
    it('renders a Date as an ISO-8601 UTC string with milliseconds', () => {
      expect(scalar.serialize(new Date(Date.UTC(2024, 0, 1, 10, 0, 0)))).toBe('2024-01-01T10:00:00.000Z');
      expect(scalar.serialize(new Date('2024-07-15T12:34:56.789+02:00'))).toBe('2024-07-15T10:34:56.789Z');
    });

    it('normalises a stored ISO string with an offset to UTC', () => {
      expect(scalar.serialize('2024-01-01T11:00:00+01:00')).toBe('2024-01-01T10:00:00.000Z');
      expect(scalar.serialize('2024-01-01T10:00:00.000Z')).toBe('2024-01-01T10:00:00.000Z');
    });

    it('refuses invalid dates, zone-less strings and other types', () => {
      expect(errorOf(() => scalar.serialize(new Date('nope'))).message).toBe(
        'DateTime cannot represent an invalid Date',
      );
      expect(errorOf(() => scalar.serialize('2024-01-01T10:00')).message).toContain('"2024-01-01T10:00"');
      expect(errorOf(() => scalar.serialize(1700000000000)).message).toBe(
        'DateTime cannot represent number 1700000000000',
      );
      expect(() => scalar.serialize({})).toThrow(GraphQLError);
      expect(() => scalar.serialize(null)).toThrow(GraphQLError);
    });
  });

  describe('parseValue (variables)', () => {
    it.each([
      ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000Z'],
      ['2024-01-01T10:00Z', '2024-01-01T10:00:00.000Z'],
      ['2024-01-01T11:30:00+01:30', '2024-01-01T10:00:00.000Z'],
      ['2024-01-01T05:00:00-05:00', '2024-01-01T10:00:00.000Z'],
      ['2024-01-01T00:30:00+00:00', '2024-01-01T00:30:00.000Z'],
      ['2023-12-31T23:00:00-11:00', '2024-01-01T10:00:00.000Z'],
      ['2024-02-29T10:00:00.5Z', '2024-02-29T10:00:00.500Z'],
      ['2024-01-01T10:00:00.123456789Z', '2024-01-01T10:00:00.123Z'],
      ['0099-06-01T00:00:00Z', '0099-06-01T00:00:00.000Z'],
    ])('accepts %s as %s', (input, iso) => {
      const value = scalar.parseValue(input);
      expect(value).toBeInstanceOf(Date);
      expect(value.toISOString()).toBe(iso);
    });

    it('rejects a string without a time zone, naming the problem', () => {
      const err = errorOf(() => scalar.parseValue('2024-01-01T10:00'));
      expect(err.message).toBe('DateTime must be an ISO-8601 string with a time zone offset, got "2024-01-01T10:00"');
      expect(err.extensions.code).toBe('BAD_USER_INPUT');
      expect(errorOf(() => scalar.parseValue('2024-01-01')).message).toContain('time zone offset');
      expect(errorOf(() => scalar.parseValue('2024-01-01T10:00:00.000')).message).toContain('time zone offset');
    });

    it.each([
      '2023-02-29T10:00:00Z', // not a leap year
      '2024-04-31T10:00:00Z',
      '2024-13-01T10:00:00Z',
      '2024-00-10T10:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:60:00Z',
      '2024-01-01T10:00:60Z',
      '2024-01-01T10:00:00+24:00',
    ])('rejects the impossible date-time %s', (input) => {
      expect(errorOf(() => scalar.parseValue(input)).message).toBe(`DateTime is not a valid date or time: "${input}"`);
    });

    it.each([
      '',
      'yesterday',
      'Mon, 01 Jan 2024 10:00:00 GMT',
      '2024-01-01 10:00:00Z',
      '2024-1-1T10:00:00Z',
      '2024-01-01T10:00:00+0100',
      ' 2024-01-01T10:00:00Z',
    ])('rejects the non-ISO string %j', (input) => {
      expect(errorOf(() => scalar.parseValue(input)).message).toMatch(
        /^DateTime must be an ISO-8601 string with a time zone offset, got "/,
      );
    });

    it('rejects non-strings', () => {
      expect(errorOf(() => scalar.parseValue(1704103200000)).message).toBe(
        'DateTime must be an ISO-8601 string with a time zone offset, got number 1704103200000',
      );
      expect(errorOf(() => scalar.parseValue(new Date())).message).toBe(
        'DateTime must be an ISO-8601 string with a time zone offset, got a Date object',
      );
      expect(() => scalar.parseValue(null)).toThrow(GraphQLError);
      expect(() => scalar.parseValue(true)).toThrow(GraphQLError);
    });
  });

  describe('parseLiteral (inline in the document)', () => {
    it('accepts a string literal with an offset', () => {
      expect(scalar.parseLiteral(literal('"2024-01-01T11:00:00+01:00"')).toISOString()).toBe(
        '2024-01-01T10:00:00.000Z',
      );
    });

    it('rejects a zone-less string literal', () => {
      const node = literal('"2024-01-01T10:00"');
      const err = errorOf(() => scalar.parseLiteral(node));
      expect(err.message).toBe('DateTime must be an ISO-8601 string with a time zone offset, got "2024-01-01T10:00"');
      expect(err.nodes).toEqual([node]);
    });

    it('rejects non-string literals', () => {
      const int = literal('1704103200000');
      expect(int.kind).toBe(Kind.INT);
      expect(errorOf(() => scalar.parseLiteral(int)).message).toBe(
        'DateTime must be an ISO-8601 string with a time zone offset, got 1704103200000',
      );
      expect(() => scalar.parseLiteral(literal('{ at: "2024-01-01T10:00:00Z" }'))).toThrow(GraphQLError);
      expect(() => scalar.parseLiteral(literal('TODAY'))).toThrow(GraphQLError);
    });
  });

  describe('as a graphql-js type (GraphQLDateTime) in an executed query', () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          echo: {
            type: GraphQLDateTime,
            args: { at: { type: GraphQLDateTime } },
            resolve: (_root, args: { at: Date }) => {
              expect(args.at).toBeInstanceOf(Date);
              return new Date(args.at.getTime() + 60_000);
            },
          },
        },
      }),
    });

    it('has the name DateTime and a specifiedBy URL', () => {
      expect(GraphQLDateTime.name).toBe('DateTime');
      expect(GraphQLDateTime.specifiedByURL).toMatch(/^https:\/\//);
    });

    it('parses a variable and a literal into Date and serializes the result in UTC', async () => {
      const byVar = await graphql({
        schema,
        source: 'query ($at: DateTime) { echo(at: $at) }',
        variableValues: { at: '2024-01-01T11:00:00+01:00' },
      });
      expect(byVar).toEqual({ data: { echo: '2024-01-01T10:01:00.000Z' } });

      const byLiteral = await graphql({ schema, source: '{ echo(at: "2024-01-01T10:00:00Z") }' });
      expect(byLiteral).toEqual({ data: { echo: '2024-01-01T10:01:00.000Z' } });
    });

    it('reports a zone-less variable and literal as errors that name the problem', async () => {
      const byVar = await graphql({
        schema,
        source: 'query ($at: DateTime) { echo(at: $at) }',
        variableValues: { at: '2024-01-01T10:00' },
      });
      expect(byVar.data).toBeUndefined();
      expect(byVar.errors?.[0].message).toContain(
        'DateTime must be an ISO-8601 string with a time zone offset, got "2024-01-01T10:00"',
      );

      const byLiteral = await graphql({ schema, source: '{ echo(at: 5) }' });
      expect(byLiteral.errors?.[0].message).toContain(
        'DateTime must be an ISO-8601 string with a time zone offset, got 5',
      );
    });
  });
});

describe('parseIsoDateTime', () => {
  it('returns null instead of throwing', () => {
    expect(parseIsoDateTime('2024-01-01T10:00')).toBeNull();
    expect(parseIsoDateTime('2024-02-30T10:00:00Z')).toBeNull();
    expect(parseIsoDateTime('2024-02-29T10:00:00Z')?.toISOString()).toBe('2024-02-29T10:00:00.000Z');
  });
});
