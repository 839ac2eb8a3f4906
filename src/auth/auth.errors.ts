/** Signals of the authentication stores that the service turns into the client's error. */

/** A refresh session was rotated (or its login revoked) by a concurrent request first. */
export class SessionRotationConflict extends Error {}

/** An account token was used (or replaced) by a concurrent request first. */
export class AccountTokenSpent extends Error {}
