import 'reflect-metadata';
import { FieldProblem } from '../errors/domain-errors';

/**
 * GraphQL cannot declare an input field that may be left out but must not be null: every optional
 * field is nullable. So an explicit `null` is refused (BAD_USER_INPUT naming the field) unless the
 * DTO says what it means with one of these decorators.
 */
const NULL_MEANING = Symbol('nullMeaning');

type NullMeaning = 'omitted' | 'clears';

function nullMeans(meaning: NullMeaning): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(NULL_MEANING, meaning, target, property);
}

/** `null` is the same as leaving the field out (a filter, a page size): the pipe removes it. */
export const NullMeansOmitted = () => nullMeans('omitted');

/** `null` clears a stored value: it reaches the service, which must handle it. */
export const NullClears = () => nullMeans('clears');

/**
 * Applies the null policy to a transformed DTO, in place: drops nulls that mean "omitted" and
 * returns a problem for each null the DTO does not accept. Paths are relative to `value`.
 */
export function applyNullPolicy(value: unknown, path = ''): FieldProblem[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => applyNullPolicy(item, join(path, String(i))));
  if (!isDto(value)) return [];
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(value)) {
    const field = join(path, key);
    const item = (value as Record<string, unknown>)[key];
    if (item !== null) {
      problems.push(...applyNullPolicy(item, field));
      continue;
    }
    const meaning = Reflect.getMetadata(NULL_MEANING, value, key) as NullMeaning | undefined;
    if (meaning === 'omitted') delete (value as Record<string, unknown>)[key];
    else if (meaning !== 'clears')
      problems.push({ field, message: `${key} may be left out but not null; omit it instead` });
  }
  return problems;
}

/** An instance of an input class (class-transformer builds them), not a plain object, Date or array. */
export function isDto(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    Object.getPrototypeOf(value) !== Object.prototype &&
    Object.getPrototypeOf(value) !== null
  );
}

/** `input` + `email` → `input.email`; an empty part (a rule about the whole input) adds nothing. */
export const join = (path: string, key: string) => (path && key ? `${path}.${key}` : path || key);
