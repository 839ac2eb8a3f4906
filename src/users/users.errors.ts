/** Signals of the users store that services turn into the client's error (CONFLICT, NOT_FOUND). */

/** Another account holds the e-mail address (also when a concurrent sign-up won). */
export class EmailTakenError extends Error {}

/** The user to update does not exist. */
export class UserMissingError extends Error {}
