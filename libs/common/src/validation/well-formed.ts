import { FieldProblem } from '../errors/domain-errors';
import { join } from './null-policy';

/**
 * Strings holding a lone UTF-16 surrogate cannot be stored as UTF-8 (DynamoDB, MongoDB, S3 and
 * JSON logs all refuse or mangle them). Every argument is checked before a resolver runs.
 */
export function illFormedStrings(value: unknown, path = ''): FieldProblem[] {
  if (typeof value === 'string') {
    return value.isWellFormed()
      ? []
      : [{ field: path, message: `${lastSegment(path)} must be well-formed Unicode (it holds a lone surrogate)` }];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => illFormedStrings(item, join(path, String(i))));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([key, item]) => illFormedStrings(item, join(path, key)));
  }
  return [];
}

function lastSegment(path: string): string {
  const segments = path.split('.').filter((s) => !/^\d+$/.test(s));
  return segments[segments.length - 1] || 'value';
}
