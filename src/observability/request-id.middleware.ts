import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '@app/common';

/** Gives every HTTP request an id (honouring a proxy's `x-request-id`) on `req.id`, echoed back; logs and errors read it from there. */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const withId = req as Request & { id?: string };
    // The HTTP logger may have assigned the id already; both use the same rule.
    const requestId = withId.id ?? RequestContext.idFrom(req.headers['x-request-id']);
    withId.id = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  }
}
