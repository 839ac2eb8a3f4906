import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, ValidationFailedError } from '../errors/domain-errors';

/** Flattens class-validator's tree into `input.location.latitude`-style paths, one message per field. */
export function toFieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, message: Object.values(e.constraints).join('; ') }] : [];
    return [...own, ...toFieldProblems(e.children ?? [], field)];
  });
}

/**
 * Global pipe for resolver arguments: values are transformed to their declared classes and
 * checked; every failure becomes BAD_USER_INPUT naming the fields, prefixed with the argument
 * name (`input.email`) so clients can point at the exact control.
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

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      if (err instanceof ValidationFailedError && metadata.data) {
        throw new ValidationFailedError(err.fields.map((f) => ({ ...f, field: `${metadata.data}.${f.field}` })));
      }
      throw err;
    }
  }
}
