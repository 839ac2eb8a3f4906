import { ConflictError } from '@app/common';

/** Repository-level: the unique slug index refused a write. */
export class SlugTakenError extends Error {}
/** Repository-level: a profile with this id exists already (a concurrent create won). */
export class ProfileExistsError extends Error {}

export function slugTaken(slug: string): ConflictError {
  return new ConflictError(`The slug "${slug}" is taken`, {
    reason: 'SLUG_TAKEN',
    field: 'input.slug',
  });
}

/** Publishing, or editing a published profile, needs these fields; `missing` names each. */
export function profileIncomplete(missing: string[], published: boolean): ConflictError {
  const what = missing.join(', ');
  return new ConflictError(
    published
      ? `A published profile must stay complete; this change leaves it without: ${what}`
      : `The profile cannot be published without: ${what}`,
    { reason: 'PROFILE_INCOMPLETE', missing },
  );
}
