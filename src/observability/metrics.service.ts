import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { StoreName } from '@app/common';

export type Store = StoreName;

/**
 * Owns one Prometheus registry per server instance (tests run several in one process, and a
 * global registry would reject the second registration).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation duration by operation name, type and outcome',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors returned to clients, by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly storeCalls = new Counter({
    name: 'store_calls_total',
    help: 'Calls to a backing store, by store and operation',
    labelNames: ['store', 'operation'] as const,
    registers: [this.registry],
  });

  readonly storeUnavailable = new Counter({
    name: 'store_unavailable_total',
    help: 'Failures because a store was unreachable or did not answer within STORE_TIMEOUT_MS, by store',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });

  readonly loaderBatchSize = new Histogram({
    name: 'dataloader_batch_size',
    help: 'Keys per DataLoader batch, by loader',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100],
    registers: [this.registry],
  });

  constructor() {
    // The event-loop delay histogram samples with a timer; at the default 10 ms that timer was more
    // than half of an idle server's CPU (4.6 -> 2.2 ms per second). Ten samples a second still
    // see every stall that matters.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }

  countStoreCall(store: Store, operation: string): void {
    this.storeCalls.inc({ store, operation });
  }

  countStoreUnavailable(store: Store): void {
    this.storeUnavailable.inc({ store });
  }

  /** Total calls to one store so far (tests and benchmarks assert call budgets with it). */
  async storeCallCount(store: Store): Promise<number> {
    const metric = await this.storeCalls.get();
    return metric.values.filter((v) => v.labels.store === store).reduce((sum, v) => sum + v.value, 0);
  }
}
