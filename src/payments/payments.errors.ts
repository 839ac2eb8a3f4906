import { ConflictError, ValidationFailedError } from '@app/common';

/** The lot's last credit went to another booking meanwhile (the reservation's condition failed). */
export function creditTaken(): ConflictError {
  return new ConflictError('No credit is left in this package: another booking took the last one; nothing was booked', {
    reason: 'NO_CREDIT_LEFT',
    field: 'input.creditId',
  });
}

export function badCredit(message: string): ValidationFailedError {
  return ValidationFailedError.field('input.creditId', message);
}
