import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/** Routes are labelled by a fixed set so secret or unbounded paths (tokens, ids) never become label values. */
const KNOWN_ROUTES = ['/graphql', '/health/live', '/health/ready', '/metrics'];

export function routeLabel(path: string): string {
  if (KNOWN_ROUTES.includes(path)) return path;
  if (path.startsWith('/calendar/')) return '/calendar/:token';
  return 'other';
}

const started = Symbol('httpMetricsStarted');

/** Every HTTP request's duration by method, route and status, from Fastify's own request hooks. */
export function httpMetricsHook(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request as unknown as Record<symbol, bigint>)[started] = process.hrtime.bigint();
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const start = (request as unknown as Record<symbol, bigint | undefined>)[started];
    if (start !== undefined) {
      const path = request.url.split('?', 1)[0];
      metrics.httpDuration.observe(
        { method: request.method, route: routeLabel(path), status_code: String(reply.statusCode) },
        Number(process.hrtime.bigint() - start) / 1e9,
      );
    }
    done();
  });
}
