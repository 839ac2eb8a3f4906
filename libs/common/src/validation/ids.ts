import { Injectable, PipeTransform } from '@nestjs/common';
import { Args, ID } from '@nestjs/graphql';
import { Matches } from 'class-validator';
import { ValidationFailedError } from '../errors/domain-errors';

/** Our ids are ULIDs; anything long or odd never reaches a store key (DynamoDB caps keys at 2 KB). */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** For ids inside input types (`{ each: true }` for a list of ids). */
export const IsEntityId = (options: { each?: boolean } = {}) =>
  Matches(ID_PATTERN, {
    ...options,
    message: ({ property }) =>
      options.each ? `each of ${property} must be a valid id` : `${property} is not a valid id`,
  });

@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly field: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value))
      throw ValidationFailedError.field(this.field, `${this.field} is not a valid id`);
    return value;
  }
}

/** `@IdArg()` = an `ID!` argument named `id` (or `name`), checked before the resolver runs. */
export const IdArg = (name = 'id', description = 'The id.') =>
  Args(name, { type: () => ID, description }, new ParseIdPipe(name));
