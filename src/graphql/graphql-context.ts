import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestLoaders } from './request-loaders';

/**
 * What every resolver receives as its context, over HTTP and over graphql-ws alike. Features add
 * their own fields by declaration merging (authentication adds `viewer`: see src/auth/viewer.ts).
 */
export interface GraphQLContext {
  /** The HTTP request, or for graphql-ws a request-like object carrying `connectionParams.authorization`. */
  req: FastifyRequest;
  res?: FastifyReply;
  requestId: string;
  loaders: RequestLoaders;
  /** Client address for rate limiting. */
  clientIp: string;
}
