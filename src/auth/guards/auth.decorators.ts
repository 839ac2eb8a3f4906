import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/graphql-context';
import { Role } from '../../users/user.types';
import type { Viewer } from '../viewer';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLES = 'auth:roles';

/** Callable without a token (a valid token still identifies the viewer). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Callable only by a viewer holding one of `roles`. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The authenticated viewer (undefined on a public operation called anonymously). */
export const CurrentViewer = createParamDecorator((_: unknown, context: ExecutionContext): Viewer | undefined => {
  return GqlExecutionContext.create(context).getContext<GraphQLContext>().viewer ?? undefined;
});
