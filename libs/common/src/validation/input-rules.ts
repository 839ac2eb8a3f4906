import 'reflect-metadata';
import { FieldProblem } from '../errors/domain-errors';
import { isDto, join } from './null-policy';

/**
 * Rules spanning several fields of one input (end after start, no duplicate durations), run by the
 * validation pipe together with the field rules so one answer names every problem. A rule sees the
 * transformed DTO, possibly with invalid fields (the pipe drops a rule's problem on a field that is
 * already reported), so it must not assume types: it skips what it cannot judge.
 * Paths are relative to the input, e.g. `windows.0.end`.
 */
export type InputRule<T> = (input: T) => FieldProblem[];

const RULES = Symbol('inputRules');

export function InputRules<T>(...rules: InputRule<T>[]): ClassDecorator {
  return (target) => Reflect.defineMetadata(RULES, [...rulesOf(target.prototype), ...rules], target.prototype);
}

function rulesOf(prototype: object): InputRule<unknown>[] {
  return (Reflect.getMetadata(RULES, prototype) as InputRule<unknown>[] | undefined) ?? [];
}

/** Runs the rules of `value` and of every input nested in it. */
export function runInputRules(value: unknown, path = ''): FieldProblem[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => runInputRules(item, join(path, String(i))));
  if (!isDto(value)) return [];
  const own = rulesOf(Object.getPrototypeOf(value)).flatMap((rule) =>
    rule(value).map((p) => ({ ...p, field: join(path, p.field) })),
  );
  const nested = Object.entries(value).flatMap(([key, item]) => runInputRules(item, join(path, key)));
  return [...nested, ...own];
}
