import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** Routes are labelled by a fixed set so secret or unbounded paths (tokens, ids) never become label values. */
const KNOWN_ROUTES = ['/graphql', '/health/live', '/health/ready', '/metrics'];

export function routeLabel(path: string): string {
  if (KNOWN_ROUTES.includes(path)) return path;
  if (path.startsWith('/calendar/')) return '/calendar/:token';
  return 'other';
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer({
      method: req.method,
      route: routeLabel(req.originalUrl.split('?')[0]),
    });
    res.once('finish', () => stop({ status_code: String(res.statusCode) }));
    next();
  }
}
