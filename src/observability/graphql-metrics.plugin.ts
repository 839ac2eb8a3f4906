import type { ApolloServerPlugin } from '@apollo/server';
import { MetricsService } from './metrics.service';

/** Records each operation's duration by name and outcome, and each returned error by its final code. */
export function graphqlMetricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operationName, operation }) {
          const body = response.body;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          for (const e of errors) metrics.graphqlErrors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.graphqlDuration.observe(
            {
              operation_name: operationName ?? 'anonymous',
              operation_type: operation?.operation ?? 'unknown',
              outcome: errors.length > 0 ? 'error' : 'success',
            },
            seconds,
          );
        },
      };
    },
  };
}
