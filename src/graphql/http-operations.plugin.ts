import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** Subscriptions need a lasting connection: over HTTP they are a bad request, not an execution. */
export function httpOperationsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription')
            throw new GraphQLError(
              'Subscriptions are served over WebSocket (graphql-ws protocol) at /graphql, not over HTTP',
              { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
            );
        },
      };
    },
  };
}
