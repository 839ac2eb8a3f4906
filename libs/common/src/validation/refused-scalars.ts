import { FieldProblem } from '../errors/domain-errors';
import { RefusedScalarValue } from '../scalars/refused-scalar-value';
import { join } from './null-policy';

/** Every value a typed scalar refused inside an argument, as `{ field, message }` problems. */
export function refusedScalarValues(value: unknown, path = ''): FieldProblem[] {
  if (value instanceof RefusedScalarValue) return [{ field: path, message: `${leaf(path)} ${value.rule}` }];
  if (Array.isArray(value)) return value.flatMap((item, i) => refusedScalarValues(item, join(path, String(i))));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([key, item]) => refusedScalarValues(item, join(path, key)));
  }
  return [];
}

function leaf(path: string): string {
  const segments = path.split('.').filter((s) => !/^\d+$/.test(s));
  return segments[segments.length - 1] || 'value';
}
