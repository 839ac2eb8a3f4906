import { Role } from '../users/user.types';

/** Who is making the request, from a verified access token (set on the GraphQL context by the auth guard). */
export interface Viewer {
  userId: string;
  roles: Role[];
  sessionId: string;
  /** From the stored account, read for this request: unverified accounts cannot book. */
  emailVerified?: boolean;
}

export function isAdmin(viewer: Viewer | undefined | null): boolean {
  return viewer?.roles.includes(Role.ADMIN) ?? false;
}

// The GraphQL context belongs to infrastructure, which knows no feature: authentication adds its
// fields to it here (TypeScript declaration merging) instead of src/graphql importing auth.
declare module '../graphql/graphql-context' {
  interface GraphQLContext {
    /** Set by the auth guard: the viewer, or null when anonymous. Undefined before the guard ran. */
    viewer?: Viewer | null;
    authFailure?: string;
    /** The auth guard's one verification of this request's token, shared by every root field. */
    authentication?: Promise<void>;
  }
}
