import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from '@nestjs/common/interfaces/external/validator-options.interface';
import { FieldProblem, ValidationFailedError } from '../errors/domain-errors';
import { runInputRules } from './input-rules';
import { applyNullPolicy, join } from './null-policy';
import { refusedScalarValues } from './refused-scalars';
import { illFormedStrings } from './well-formed';

/** One answer names at most this many fields, so a hostile list cannot make the error huge. */
const MAX_REPORTED_PROBLEMS = 100;

/** Flattens class-validator's tree into `input.location.latitude`-style paths, one message per field. */
export function toFieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, message: Object.values(e.constraints).join('; ') }] : [];
    return [...own, ...toFieldProblems(e.children ?? [], field)];
  });
}

const PRIMITIVES: unknown[] = [String, Number, Boolean, Date];

/** `GqlParamtype.ARGS` of @nestjs/graphql (not exported): the pipe also sees parents and contexts. */
const GRAPHQL_ARGS = 3;

/**
 * Global pipe for resolver arguments: values are transformed to their declared classes and
 * checked; every failure becomes BAD_USER_INPUT naming the fields, prefixed with the argument
 * name (`input.email`) so clients can point at the exact control. One answer reports every
 * problem of the arguments: field rules (class-validator), explicit nulls the input does not
 * accept (see null-policy), ill-formed Unicode in any string, and the input's cross-field rules.
 */
@Injectable()
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailedError(toFieldProblems(errors)),
    });
  }

  /**
   * Verdicts on flat argument objects, per class: the same arguments on every item of a list
   * (`reviews(first: 3)` on each of 20 teachers) are checked once. Checks are pure functions of
   * the value (no clock, no store), so a value that passed once passes again.
   */
  private readonly passed = new WeakMap<object, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if ((metadata.type as unknown) !== GRAPHQL_ARGS && metadata.type !== 'body')
      return super.transform(value, metadata);
    const key = flatKey(value, metadata.metatype);
    const known = key === undefined ? undefined : this.passed.get(metadata.metatype!)?.get(key);
    // Copies in and out, so a resolver that changes its arguments cannot change another's.
    if (known) return copyOf(known);
    const result = await this.checked(value, metadata);
    if (key !== undefined && result !== null && typeof result === 'object') {
      let byValue = this.passed.get(metadata.metatype!);
      if (!byValue) this.passed.set(metadata.metatype!, (byValue = new Map()));
      if (byValue.size >= MAX_REMEMBERED_PER_CLASS) byValue.clear();
      byValue.set(key, copyOf(result));
    }
    return result;
  }

  private async checked(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const prefix = (f: FieldProblem) => ({ ...f, field: join(metadata.data ?? '', f.field) });
    // A value a typed scalar refused comes first: a field rule on the same field would only echo it.
    // A list argument's items are checked one by one by its ValidateEachPipe, with their other problems.
    const refused = metadata.metatype === Array ? [] : refusedScalarValues(value).map(prefix);
    const unicode = illFormedStrings(value).map(prefix);
    let result: unknown;
    let problems: FieldProblem[] = [];
    try {
      result = await super.transform(value, metadata);
    } catch (err) {
      if (!(err instanceof ValidationFailedError)) throw err;
      problems = err.fields.map(prefix);
    }
    problems = merge(refused, merge(unicode, problems));
    if (problems.length) throw new ValidationFailedError(problems.slice(0, MAX_REPORTED_PROBLEMS));
    // A scalar argument's null (`reason: null`) means the same as leaving it out.
    if (result === null && PRIMITIVES.includes(metadata.metatype)) return undefined;
    return result;
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const nulls = applyNullPolicy(object);
    const errors = await super.validate(object, options);
    const reported = toFieldProblems(errors);
    const extra = merge(reported, merge(nulls, runInputRules(object))).slice(reported.length);
    return [...errors, ...extra.map(toError)];
  }
}

const MAX_REMEMBERED_PER_CLASS = 256;
const MAX_REMEMBERED_KEY = 512;

/**
 * The memo key of an argument object with only primitive values (`{ first: 3 }`), or undefined
 * for anything else (nested inputs, lists, dates, a primitive argument), which is checked each time.
 */
function flatKey(value: unknown, metatype: ArgumentMetadata['metatype']): string | undefined {
  if (!metatype || PRIMITIVES.includes(metatype) || metatype === Array || metatype === Object) return undefined;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return undefined;
  for (const v of Object.values(value))
    if (
      !(v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') &&
      !(typeof v === 'number' && Number.isFinite(v))
    )
      return undefined;
  const key = JSON.stringify(value);
  return key.length <= MAX_REMEMBERED_KEY ? key : undefined;
}

function copyOf(instance: object): object {
  return Object.assign(Object.create(Object.getPrototypeOf(instance) as object) as object, instance);
}

/** `first`, then each problem of `second` on a field that `first` does not already report (or contain). */
function merge(first: FieldProblem[], second: FieldProblem[]): FieldProblem[] {
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
  return [...first, ...second.filter((p) => !first.some((f) => overlaps(f.field, p.field)))];
}

/** A problem in class-validator's shape; its dotted path survives `toFieldProblems`. */
function toError(problem: FieldProblem): ValidationError {
  return { property: problem.field, constraints: { input: problem.message }, children: [] };
}

/**
 * For a list argument (`windows: [AvailabilityWindowInput!]!`): Nest sees only `Array`, so the
 * global pipe cannot know the item class. Validates each item as `name.i` and the list's length,
 * reporting every problem at once.
 */
@Injectable()
export class ValidateEachPipe implements PipeTransform<unknown, Promise<unknown[]>> {
  private readonly items = new InputValidationPipe();

  constructor(
    private readonly name: string,
    private readonly itemType: new () => object,
    private readonly maxItems: number,
  ) {}

  async transform(value: unknown): Promise<unknown[]> {
    const list = Array.isArray(value) ? value : [];
    const problems: FieldProblem[] = [];
    if (list.length > this.maxItems)
      problems.push({ field: this.name, message: `${this.name} may hold at most ${this.maxItems} items` });
    const items = await Promise.all(
      list.map((item, i) =>
        this.items
          .transform(item, { type: 'body', metatype: this.itemType, data: `${this.name}.${i}` })
          .catch((err) => {
            if (!(err instanceof ValidationFailedError)) throw err;
            problems.push(...err.fields);
          }),
      ),
    );
    if (problems.length) throw new ValidationFailedError(problems.slice(0, MAX_REPORTED_PROBLEMS));
    return items;
  }
}
