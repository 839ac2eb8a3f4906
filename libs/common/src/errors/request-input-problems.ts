import { ASTNode, GraphQLError, Kind, parse, visit } from 'graphql';
import { ScalarValueError } from '../scalars/scalar-value-error';
import type { FieldProblem } from './domain-errors';

/**
 * The offending input fields of a request-level error that graphql-js or Apollo raised before any
 * resolver ran (a variable that does not coerce, a literal one of our scalars refused), in the
 * `fields` shape of BAD_USER_INPUT. Null when the error is not about an input value.
 */
export function requestInputProblems(error: unknown): FieldProblem[] | null {
  if (!(error instanceof GraphQLError)) return null;
  const scalar = error.originalError instanceof ScalarValueError ? error.originalError : null;
  const variable = variableProblem(error.message, scalar);
  if (variable) return [variable];
  if (scalar) {
    const field = literalPath(error) ?? scalar.scalar;
    return [{ field, message: `${leaf(field)} ${scalar.rule}` }];
  }
  return null;
}

// graphql-js: `Variable "$input" got invalid value <value> at "input.a[0].b"; <reason>` (the value is
// printed with escaped quotes, so ` at "` inside it cannot fake the path), or
// `Variable "$n" of required type "Int!" was not provided.` / `… of non-null type "Int!" must not be null.`
const INVALID_VARIABLE = /^Variable "\$(\w+)" got invalid value [\s\S]*?(?: at "([\w.[\]]+)")?; ([\s\S]*)$/;
const MISSING_VARIABLE =
  /^Variable "\$(\w+)" of (?:required|non-null) type "[^"]+" (?:was not provided|must not be null)\.$/;

function variableProblem(message: string, scalar: ScalarValueError | null): FieldProblem | null {
  const invalid = INVALID_VARIABLE.exec(message);
  if (invalid) {
    const field = dotted(invalid[2] ?? invalid[1]);
    return { field, message: scalar ? `${leaf(field)} ${scalar.rule}` : invalid[3] };
  }
  const missing = MISSING_VARIABLE.exec(message);
  if (missing) return { field: missing[1], message };
  return null;
}

/** `input.a[0].b` → `input.a.0.b`, the path style of every other BAD_USER_INPUT. */
function dotted(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1');
}

function leaf(field: string): string {
  const parts = field.split('.').filter((p) => !/^\d+$/.test(p));
  return parts[parts.length - 1] ?? field;
}

/**
 * The argument path of the literal an error points at (`input.overrides.0.date`), found by
 * parsing the request's source again: graphql-js reports the value node without its parents.
 */
function literalPath(error: GraphQLError): string | null {
  const target = error.nodes?.[0]?.loc;
  const body = error.source?.body ?? target?.source.body;
  if (!target || !body) return null;
  let document;
  try {
    document = parse(body, { noLocation: false });
  } catch {
    return null;
  }
  const path: string[] = [];
  let found: string | null = null;
  visit(document, {
    enter(node: ASTNode, key, _parent, _path, ancestors) {
      if (found !== null) return false;
      const listParent = ancestors[ancestors.length - 1];
      if (typeof key === 'number' && isNode(listParent) && listParent.kind === Kind.LIST) path.push(String(key));
      else if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) path.push(node.name.value);
      else path.push('');
      if (node.loc && node.loc.start === target.start && node.loc.end === target.end && isValue(node)) {
        found = path.filter(Boolean).join('.');
        return false;
      }
      return undefined;
    },
    leave() {
      path.pop();
    },
  });
  return found;
}

function isNode(value: unknown): value is ASTNode {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

function isValue(node: ASTNode): boolean {
  return (
    node.kind === Kind.STRING ||
    node.kind === Kind.INT ||
    node.kind === Kind.FLOAT ||
    node.kind === Kind.BOOLEAN ||
    node.kind === Kind.ENUM ||
    node.kind === Kind.NULL ||
    node.kind === Kind.LIST ||
    node.kind === Kind.OBJECT
  );
}
