import { ArgumentNode, GraphQLError, Kind, parse, ValueNode, visit } from 'graphql';
import { FieldProblem } from './domain-errors';

/** graphql-js's lexer messages for a lone surrogate in a string literal, escaped or raw. */
const UNICODE_SYNTAX_ERROR =
  /^Syntax Error: Invalid (Unicode escape sequence: "\\u\{?0*[dD][89a-fA-F][0-9a-fA-F]{2}\}?"|character within String: U\+D[89A-F][0-9A-F]{2}\.)/;
/** Lone surrogates repaired before giving up on naming the field (each costs a parse of the document). */
const MAX_REPAIRS = 20;

/**
 * graphql-js refuses a string literal holding a lone surrogate (`"x\ud800"`) while parsing, before
 * any argument is known. To name the argument as for a variable, the literal's bad characters are
 * replaced with harmless ones of the same length, the document is parsed again, and the argument
 * (or variable default) holding the first bad character is named. Null when the syntax error is
 * another one, or the document cannot be repaired.
 */
export function illFormedLiteralProblem(error: unknown): FieldProblem | null {
  if (!(error instanceof GraphQLError) || !UNICODE_SYNTAX_ERROR.test(error.message)) return null;
  const position = error.positions?.[0];
  let body = error.source?.body;
  if (position === undefined || body === undefined) return null;

  let at: number | undefined = position;
  for (let i = 0; i < MAX_REPAIRS && at !== undefined; i++) {
    body = repairAt(body, at);
    try {
      return locate(parse(body), position);
    } catch (err) {
      at =
        err instanceof GraphQLError && UNICODE_SYNTAX_ERROR.test(err.message) && err.positions?.[0] !== undefined
          ? err.positions[0]
          : undefined;
    }
  }
  return null;
}

/** Replaces the escape (`\ud800`, `\u{d800}`) or the single character at `at` with `x`s. */
function repairAt(body: string, at: number): string {
  let length = 1;
  if (body[at] === '\\') {
    const braced = body[at + 2] === '{' ? body.indexOf('}', at) : -1;
    length = braced > at && braced - at < 12 ? braced - at + 1 : 6;
  }
  length = Math.min(length, body.length - at);
  return body.slice(0, at) + 'x'.repeat(length) + body.slice(at + length);
}

function locate(document: ReturnType<typeof parse>, position: number): FieldProblem | null {
  let found: string | null = null;
  visit(document, {
    Argument(node: ArgumentNode) {
      found ??= pathIn(node.value, node.name.value, position);
    },
    VariableDefinition(node) {
      if (node.defaultValue) found ??= pathIn(node.defaultValue, `$${node.variable.name.value}`, position);
    },
  });
  if (found === null) return null;
  const name =
    (found as string)
      .split('.')
      .filter((s) => !/^\d+$/.test(s) && !s.startsWith('$'))
      .pop() ?? found;
  return { field: found, message: `${name} must be well-formed Unicode (it holds a lone surrogate)` };
}

function pathIn(value: ValueNode, path: string, position: number): string | null {
  if (!value.loc || position < value.loc.start || position >= value.loc.end) return null;
  if (value.kind === Kind.STRING) return path;
  if (value.kind === Kind.LIST) {
    for (const [i, item] of value.values.entries()) {
      const found = pathIn(item, `${path}.${i}`, position);
      if (found) return found;
    }
  }
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      const found = pathIn(field.value, `${path}.${field.name.value}`, position);
      if (found) return found;
    }
  }
  return null;
}
