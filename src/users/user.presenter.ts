import { isAdmin, Viewer } from '../auth/viewer';
import { User } from './user.types';
import { UserModel } from './models/user.model';

/** The GraphQL view of a user: private fields only for the user themself and admins. */
export function presentUser(user: User, viewer: Viewer | null | undefined): UserModel {
  const privileged = viewer !== null && viewer !== undefined && (viewer.userId === user.id || isAdmin(viewer));
  return {
    id: user.id,
    displayName: user.displayName,
    roles: user.roles,
    createdAt: new Date(user.createdAt),
    email: privileged && user.email ? user.email : null,
    timeZone: privileged ? user.timeZone : null,
    locale: privileged ? user.locale : null,
    emailVerified: privileged ? user.emailVerified : null,
    status: privileged ? user.status : null,
    updatedAt: privileged ? new Date(user.updatedAt) : null,
    avatarMediaId: user.avatarMediaId ?? null,
  };
}
