import { ArgumentsHost, Catch, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { SERVICE_UNAVAILABLE_MESSAGE, serviceUnavailableExtensions } from '@app/common';
import { MetricsService } from './metrics.service';
import { classifyStoreFailure } from '../stores/store-failures';

/**
 * For plain HTTP routes that read stores (GraphQL has its error formatter): a store that is
 * unreachable or late answers 503 with `Retry-After` and the request id, the same body shape as
 * the GraphQL error's extensions; every other error keeps Nest's default handling.
 */
@Catch()
@Injectable()
export class StoreUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(StoreUnavailableFilter.name);

  constructor(private readonly metrics: MetricsService) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const store = classifyStoreFailure(exception);
    if (!store || host.getType() !== 'http') return super.catch(exception, host);
    const requestId = host.switchToHttp().getRequest<{ id?: string }>().id;
    this.metrics.countStoreUnavailable(store);
    this.logger.warn({ store, requestId, reason: (exception as Error).message }, `${store} unavailable`);
    const res = host.switchToHttp().getResponse<FastifyReply>();
    void res
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .headers({ 'retry-after': '1', 'cache-control': 'no-store' })
      .send({ message: SERVICE_UNAVAILABLE_MESSAGE, ...serviceUnavailableExtensions(requestId) });
  }
}
