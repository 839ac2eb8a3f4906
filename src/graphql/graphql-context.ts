import type { Request, Response } from 'express';
import type { Viewer } from '../users/user.types';
import type { RequestLoaders } from './request-loaders';

/** What every resolver receives as its context, over HTTP and over graphql-ws alike. */
export interface GraphQLContext {
  /** The HTTP request, or for graphql-ws a request-like object carrying `connectionParams.authorization`. */
  req: Request;
  res?: Response;
  requestId: string;
  loaders: RequestLoaders;
  /** Set by the auth guard: the viewer, or null when anonymous. Undefined before the guard ran. */
  viewer?: Viewer | null;
  authFailure?: string;
  /** The auth guard's one verification of this request's token, shared by every root field. */
  authentication?: Promise<void>;
  /** Client address for rate limiting. */
  clientIp: string;
}
