import {
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

/**
 * Hostile requests generated from the real schema with a seeded PRNG: the same seed gives the same
 * requests, so a failure is replayed with FUZZ_SEED=<seed>.
 */

/** mulberry32: tiny and fast; only picks test cases, so statistical quality is not a concern. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

export type Who = 'anonymous' | 'student' | 'teacher' | 'admin' | 'victim' | 'forged';

export interface FuzzRequest {
  label: string;
  who: Who;
  method: 'POST' | 'GET' | 'PUT';
  /** Sent as JSON unless `rawBody` is set. */
  body?: unknown;
  rawBody?: string;
  query?: string;
  headers?: Record<string, string>;
}

/** Real values collected while setting up the server, so some requests reach deep into the services. */
export interface FuzzPools {
  ids: string[];
  /** Accounts that session- and role-changing mutations may be aimed at. */
  victimIds: string[];
  cursors: string[];
  slugs: string[];
}

class EnumValue {
  constructor(readonly name: string) {}
}
type Value = string | number | boolean | null | EnumValue | Value[] | { [key: string]: Value };

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** Strings that look like injections or break naive code; none names a store (the leak check looks for those). */
const NASTY_STRINGS = [
  '',
  ' ',
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  '{"$gt": ""}',
  '$where',
  '$ne',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  'USER#',
  '#',
  'PK',
  ':pk',
  'attribute_exists(PK)',
  '__proto__',
  'constructor',
  'javascript:alert(1)',
  'http://169.254.169.254/latest/meta-data/',
  '\u202Eevil',
  'a\u200Bb',
  '𝕏'.repeat(40),
  'ǅ',
  '\r\n\r\n',
  '\\',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e400',
  '0x10',
];
const ILL_FORMED = ['x\ud800', '\udc00', 'a\ud83d', '\udfff\ud800', 'ok\ud83d\ude00\ud800'];
const NASTY_OBJECTS: Value[] = [
  { $gt: '' },
  { $ne: null },
  ['$where'],
  { __proto__x: { admin: true } },
  { toString: 1 },
  [[[[]]]],
  {},
  [],
];
const NUMBERS = [
  0,
  -1,
  1,
  15,
  30,
  60,
  90,
  100,
  101,
  240,
  2147483647,
  2147483648,
  -2147483649,
  1e308,
  0.5,
  -0.0001,
  2 ** 53 + 2,
  1e-7,
];
const DATES = [
  '2031-01-01T10:00:00Z',
  '2031-02-30T10:00:00Z',
  '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '2031-01-01',
  'tomorrow',
  '2031-01-01T24:00:00Z',
  '2031-01-01T10:00:00+25:00',
  '2031-01-01T10:00:00.1234567891Z',
  '2031-01-01T10:07:00Z',
  '1999-12-31T23:59:59-12:00',
];
const LOCAL_DATES = ['2031-01-01', '2031-02-29', '2032-02-29', '31-01-01', '2031-1-1', '9999-12-31', '0000-00-00'];
const TIMES = ['10:00', '24:00', '00:00', '10:07', '25:00', '9:00', '10:00:00', '23:45'];

export function forgedCursors(): string[] {
  return [
    'x',
    'A'.repeat(1025),
    b64('{"v":1,"p":{}}'),
    b64('{"v":1,"p":{"k":{"PK":"USER#zzz","SK":"USER"}}}'),
    b64('{"v":1,"p":{"k":{"PK":{"S":"x"},"SK":7}}}'),
    b64('{"v":1,"p":{"k":"PK"}}'),
    b64('{"v":1,"p":{"k":[1,2,3],"f":"x"}}'),
    b64('{"v":1,"p":{"f":"nope","k":[1,"a"]}}'),
    b64('{"v":2,"p":{}}'),
    b64('{"v":1,"p":{"__proto__":{"k":1}}}'),
    b64('{"v":1,"p":{"k":{"GSI1PK":"USERS","GSI1SK":"x","PK":"USER#1","SK":"USER"}}}'),
    Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url'),
    'eyJ2IjoxfQ',
  ];
}

const hostileString = (rng: Rng): string => {
  switch (rng.int(4)) {
    case 0:
      return rng.pick(ILL_FORMED);
    case 1:
      return 'x'.repeat(rng.pick([101, 1001, 5000, 40_000]));
    default:
      return rng.pick(NASTY_STRINGS);
  }
};

/** Builds one GraphQL request: an operation on real root fields with plausible and hostile arguments. */
class OperationBuilder {
  private readonly variables: Record<string, Value> = {};
  private readonly declarations: string[] = [];
  private readonly fragments: string[] = [];
  private counter = 0;

  constructor(
    private readonly rng: Rng,
    private readonly pools: FuzzPools,
    private readonly inLiterals: boolean,
    private readonly maxDepth: number,
    private readonly hostility: number,
  ) {}

  operation(kind: 'query' | 'mutation' | 'subscription', roots: GraphQLField<unknown, unknown>[], wide: number) {
    const selections = roots.flatMap((field) =>
      Array.from(
        { length: wide },
        (_, i) => `${wide > 1 || this.rng.chance(0.1) ? `a${i}: ` : ''}${this.field(field, 0)}`,
      ),
    );
    if (this.rng.chance(0.03)) selections.push('notAField');
    if (this.rng.chance(0.05)) selections.push('__typename');
    const name = this.rng.chance(0.5) ? ` Op${this.rng.int(1000)}` : '';
    const vars = this.declarations.length ? `(${this.declarations.join(', ')})` : '';
    const head = kind === 'query' && !name && !vars && this.rng.chance(0.5) ? '' : `${kind}${name}${vars} `;
    return {
      query: `${head}{ ${selections.join(' ')} }${this.fragments.join(' ')}`,
      variables: this.variables,
    };
  }

  private field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const args = this.arguments(field.name, field.args);
    const named = getNamedType(field.type);
    if (!isObjectType(named)) return `${field.name}${args}`;
    return `${field.name}${args} { ${this.selectionSet(named, depth + 1)} }`;
  }

  private selectionSet(type: GraphQLObjectType, depth: number): string {
    const fields = Object.values(type.getFields());
    const composite = fields.filter((f) => isObjectType(getNamedType(f.type)));
    const scalars = fields.filter((f) => !isObjectType(getNamedType(f.type)));
    const picked: string[] = [];
    const count = 1 + this.rng.int(Math.min(5, fields.length));
    for (let i = 0; i < count; i++) {
      const wantDeep = depth < this.maxDepth && composite.length > 0 && this.rng.chance(0.45);
      const field = wantDeep ? this.rng.pick(composite) : this.rng.pick(scalars.length ? scalars : fields);
      if (isObjectType(getNamedType(field.type)) && depth >= this.maxDepth) continue;
      const alias = this.rng.chance(0.08) ? `x${this.counter++}: ` : '';
      picked.push(alias + this.field(field, depth));
    }
    if (!picked.length) picked.push('__typename');
    if (this.rng.chance(0.04)) picked.push(`... on ${type.name} { __typename }`);
    if (this.rng.chance(0.04)) {
      const name = `F${this.counter++}`;
      this.fragments.push(` fragment ${name} on ${type.name} { ${picked[0]} }`);
      picked.push(`...${name}`);
    }
    if (this.rng.chance(0.03))
      picked[0] += this.rng.pick([' @include(if: false)', ' @skip(if: true)', ' @skip(if: "no")']);
    if (this.rng.chance(0.02)) picked.push('unknownField { id }');
    return picked.join(' ');
  }

  private arguments(fieldName: string, args: readonly GraphQLArgument[]): string {
    const given: string[] = [];
    for (const arg of args) {
      const required = isNonNullType(arg.type);
      if (!required && this.rng.chance(0.45)) continue;
      if (required && this.rng.chance(0.02)) continue; // a missing required argument
      const value = this.value(arg.type, arg.name, fieldName, 0);
      given.push(`${arg.name}: ${this.place(value, arg.type)}`);
    }
    if (this.rng.chance(0.02)) given.push('bogus: 1');
    return given.length ? `(${given.join(', ')})` : '';
  }

  /** The value as a literal, or as a variable (sometimes declared with a wrong type, or left unset). */
  private place(value: Value, type: GraphQLInputType): string {
    if (this.inLiterals || value instanceof EnumValue) return literal(value, this.rng);
    const name = `v${this.counter++}`;
    const declared = this.rng.chance(0.04)
      ? this.rng.pick(['String', 'Int!', 'Boolean', '[ID!]', 'DateTime'])
      : String(type);
    this.declarations.push(`$${name}: ${declared}`);
    if (!this.rng.chance(0.02)) this.variables[name] = value;
    return `$${name}`;
  }

  private value(type: GraphQLInputType, name: string, fieldName: string, depth: number): Value {
    if (isNonNullType(type)) return this.value(type.ofType, name, fieldName, depth);
    const hostile = this.rng.chance(this.hostility);
    if (hostile && this.rng.chance(0.12)) return null;
    if (hostile && !this.inLiterals && this.rng.chance(0.2)) return this.rng.pick(NASTY_OBJECTS);
    if (isListType(type)) {
      const length = hostile && this.rng.chance(0.3) ? this.rng.pick([0, 30, 200]) : this.rng.int(4);
      return Array.from({ length }, () => this.value(type.ofType, name, fieldName, depth + 1));
    }
    if (isEnumType(type)) {
      const values = type.getValues().map((v) => v.name);
      return hostile
        ? this.rng.pick([new EnumValue('NOPE'), 'MONDAY', 3, new EnumValue(values[0])])
        : new EnumValue(this.rng.pick(values));
    }
    if (isInputObjectType(type)) {
      const out: Record<string, Value> = {};
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type);
        if (!required && this.rng.chance(0.5)) continue;
        if (required && hostile && this.rng.chance(0.1)) continue;
        out[field.name] = depth > 4 ? null : this.value(field.type, field.name, fieldName, depth + 1);
      }
      if (hostile && this.rng.chance(0.1)) out.extraField = 'x';
      return out;
    }
    if (isScalarType(type)) return hostile ? this.hostileScalar(type.name) : this.plausible(type.name, name, fieldName);
    return null;
  }

  private hostileScalar(scalar: string): Value {
    switch (this.rng.int(5)) {
      case 0:
        return this.rng.pick(NUMBERS);
      case 1:
        return this.rng.chance(0.5);
      case 2:
        return scalar === 'DateTime' ? this.rng.pick(DATES) : hostileString(this.rng);
      case 3:
        return this.rng.pick([...forgedCursors(), ...LOCAL_DATES, ...TIMES]);
      default:
        return hostileString(this.rng);
    }
  }

  /** A value that could pass validation, chosen by the scalar and the argument's name. */
  private plausible(scalar: string, name: string, fieldName: string): Value {
    const rng = this.rng;
    if (scalar === 'Int') return rng.pick([1, 2, 5, 20, 30, 60, 90, 100]);
    if (scalar === 'Float') return rng.pick([0, 1.5, 4, 13.4, 52.52, 100]);
    if (scalar === 'Boolean') return rng.chance(0.5);
    if (scalar === 'DateTime') {
      const hours = rng.pick([-5, 1, 30, 48, 72, 100, 200, 400]);
      return new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + hours * 3_600_000).toISOString();
    }
    if (scalar === 'ID') {
      const aimedAtAccounts = /^(suspendUser|reinstateUser|setUserRoles)$/.test(fieldName);
      return rng.pick(aimedAtAccounts ? this.pools.victimIds : [...this.pools.ids, '01ARZ3NDEKTSV4RRFFQ69G5FAV']);
    }
    if (/email/i.test(name)) return `fuzz${rng.int(1e9)}@example.test`;
    if (/password/i.test(name)) return 'a long enough password';
    if (/timeZone/.test(name)) return rng.pick(['Europe/Berlin', 'UTC', 'america/new_york', 'Asia/Kolkata']);
    if (/slug/.test(name)) return rng.pick([...this.pools.slugs, `fuzz-${rng.int(1e6)}`]);
    if (/Date$|^date$|^until$|^clear$/.test(name)) return rng.pick(LOCAL_DATES);
    if (/^(start|end)$/.test(name)) return rng.pick(TIMES);
    if (/currency/.test(name)) return rng.pick(['EUR', 'usd', 'JPY']);
    if (/country/.test(name)) return rng.pick(['DE', 'us', 'FR']);
    if (/language/.test(name)) return rng.pick(['en', 'de', 'xx']);
    if (/url/i.test(name)) return rng.pick(['https://youtube.com/@x', 'https://example.com', 'ftp://x.y']);
    if (name === 'after') return rng.pick(this.pools.cursors);
    if (name === 'refreshToken') return rng.pick(['x', 'a.b', 'A'.repeat(64)]);
    return rng.pick(['Piano', 'jazz', 'Guitar lessons', 'Berlin', 'hello world', 'ba']);
  }
}

/** GraphQL literal syntax; a lone surrogate is sometimes written raw, sometimes escaped. */
function literal(value: Value, rng: Rng): string {
  if (value instanceof EnumValue) return value.name;
  if (value === null) return 'null';
  if (typeof value === 'string')
    return rng.chance(0.3) ? `"${value.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\n')}"` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, rng)).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${k}: ${literal(v, rng)}`)
    .join(', ')} }`;
}

const WHO: Who[] = ['anonymous', 'student', 'student', 'teacher', 'teacher', 'admin', 'forged'];
/** Mutations that end sessions or change accounts are sent as a throwaway account, so the rest keeps its roles. */
const SESSION_ENDING = /^(logOut|logOutEverywhere|changePassword)$/;

/** One generated request: mostly GraphQL operations from the schema, some malformed HTTP. */
export function generateRequest(rng: Rng, schema: GraphQLSchema, pools: FuzzPools): FuzzRequest {
  if (rng.chance(0.08)) return malformedHttp(rng);
  const kind = rng.chance(0.04) ? 'subscription' : rng.chance(0.45) ? 'mutation' : 'query';
  const rootType =
    kind === 'query'
      ? schema.getQueryType()!
      : kind === 'mutation'
        ? schema.getMutationType()!
        : schema.getSubscriptionType()!;
  const fields = Object.values(rootType.getFields()).filter((f) => f.name !== 'signUp' || rng.chance(0.2));
  const roots = Array.from({ length: kind === 'query' ? 1 + rng.int(3) : 1 }, () => rng.pick(fields));
  const deep = rng.chance(0.06);
  const wide = rng.chance(0.04) ? 5 + rng.int(30) : 1;
  const builder = new OperationBuilder(
    rng,
    pools,
    rng.chance(0.45),
    deep ? 12 : 1 + rng.int(4),
    rng.chance(0.3) ? 0.6 : 0.15,
  );
  const { query, variables } = builder.operation(kind, roots, wide);
  const who: Who = roots.some((r) => SESSION_ENDING.test(r.name)) ? 'victim' : rng.pick(WHO);
  const body: Record<string, unknown> = { query, variables };
  if (rng.chance(0.03)) body.operationName = rng.pick(['Nope', 7, null]);
  if (rng.chance(0.03)) body.variables = rng.pick([[1], 'vars', 5]);
  return { label: `${kind} ${roots.map((r) => r.name).join('+')}`, who, method: 'POST', body };
}

function malformedHttp(rng: Rng): FuzzRequest {
  const deepArray = '['.repeat(45_000) + ']'.repeat(45_000);
  const cases: FuzzRequest[] = [
    { label: 'invalid JSON', who: 'anonymous', method: 'POST', rawBody: '{"query": "{ serverTime }"' },
    { label: 'batch', who: 'student', method: 'POST', body: [{ query: '{ serverTime }' }, { query: '{ me { id } }' }] },
    { label: 'query is a number', who: 'anonymous', method: 'POST', body: { query: 5 } },
    { label: 'no query', who: 'anonymous', method: 'POST', body: {} },
    { label: 'null body', who: 'anonymous', method: 'POST', rawBody: 'null' },
    { label: 'string body', who: 'anonymous', method: 'POST', rawBody: '"{ serverTime }"' },
    {
      label: 'two operations, no name',
      who: 'anonymous',
      method: 'POST',
      body: { query: 'query A { serverTime } query B { serverTime }' },
    },
    {
      label: 'persisted query miss',
      who: 'anonymous',
      method: 'POST',
      body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'deadbeef' } } },
    },
    {
      label: 'persisted query mismatch',
      who: 'anonymous',
      method: 'POST',
      body: { query: '{ serverTime }', extensions: { persistedQuery: { version: 1, sha256Hash: 'deadbeef' } } },
    },
    {
      label: 'deeply nested JSON',
      who: 'anonymous',
      method: 'POST',
      rawBody: `{"query":"{ serverTime }","variables":{"x":${deepArray}}}`,
    },
    {
      label: 'over the body limit',
      who: 'anonymous',
      method: 'POST',
      body: { query: `{ serverTime } #${'x'.repeat(150_000)}` },
    },
    {
      label: 'text/plain (CSRF)',
      who: 'anonymous',
      method: 'POST',
      rawBody: '{"query":"{ serverTime }"}',
      headers: { 'content-type': 'text/plain' },
    },
    { label: 'GET without preflight', who: 'anonymous', method: 'GET', query: '{ serverTime }' },
    {
      label: 'GET with preflight',
      who: 'student',
      method: 'GET',
      query: '{ me { id } }',
      headers: { 'apollo-require-preflight': '1' },
    },
    {
      label: 'GET mutation',
      who: 'student',
      method: 'GET',
      query: 'mutation { logOut }',
      headers: { 'apollo-require-preflight': '1' },
    },
    { label: 'PUT', who: 'anonymous', method: 'PUT', body: { query: '{ serverTime }' } },
    {
      label: 'utf-16 charset',
      who: 'anonymous',
      method: 'POST',
      rawBody: '{"query":"{ serverTime }"}',
      headers: { 'content-type': 'application/json; charset=utf-16' },
    },
    {
      label: 'hostile request id',
      who: 'anonymous',
      method: 'POST',
      body: { query: '{ serverTime }' },
      headers: { 'x-request-id': rng.pick(['x'.repeat(300), 'a b\tc', '../../x', '\u00ff\u00fe']) },
    },
    {
      label: 'huge token',
      who: 'anonymous',
      method: 'POST',
      body: { query: '{ me { id } }' },
      headers: { authorization: `Bearer ${'x'.repeat(6000)}` },
    },
    {
      label: 'odd authorization',
      who: 'anonymous',
      method: 'POST',
      body: { query: '{ me { id } }' },
      headers: {
        authorization: rng.pick([
          'Bearer',
          'Basic YTpi',
          'Bearer a.b.c',
          'bearer  x',
          'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        ]),
      },
    },
  ];
  return rng.pick(cases);
}

/** Where an answer shows the server's insides: stack frames, paths, store and driver names. */
export const LEAK =
  /\bat [\w.<>$]+ \(|\/work\/|node_modules|\.[jt]s:\d+|mongo|dynamo|ValidationException|ConditionalCheck|TransactionCancel|ResourceNotFound|E11000|BSON|aws-sdk|\bstack|Cannot read prop|is not a function|TypeError|RangeError|ReferenceError/i;
