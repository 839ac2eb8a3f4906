import type { Request, Response } from 'express';
import type { RequestLoaders } from './request-loaders';

/** What every resolver receives as its context, over HTTP and over graphql-ws alike. */
export interface GraphQLContext {
  req: Request;
  res?: Response;
  requestId: string;
  loaders: RequestLoaders;
}
