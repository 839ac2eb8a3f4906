import { Injectable, Logger } from '@nestjs/common';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GqlOptionsFactory, GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema, specifiedRules, validate } from 'graphql';
import { ulid } from 'ulid';
import { createGraphQLErrorFormatter, RequestContext } from '@app/common';
import { AppConfig } from '../config/app-config';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics.plugin';
import { MetricsService } from '../observability/metrics.service';
import { classifyStoreFailure } from '../stores/store-failures';
import { GraphQLContext } from './graphql-context';
import { LoaderFactory } from './request-loaders';
import { SocketContext, SocketLifecycle } from './socket-lifecycle';

@Injectable()
export class GraphQLOptions implements GqlOptionsFactory<ApolloDriverConfig> {
  private readonly logger = new Logger('GraphQL');

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly loaders: LoaderFactory,
    private readonly sockets: SocketLifecycle,
  ) {}

  createGqlOptions(): ApolloDriverConfig {
    const armor = new ApolloArmor({
      maxDepth: { n: this.config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, exposeLimits: true },
      costLimit: { maxCost: this.config.GRAPHQL_MAX_COST, ignoreIntrospection: true, exposeLimits: true },
      maxAliases: { n: this.config.GRAPHQL_MAX_ALIASES, exposeLimits: true },
      maxDirectives: { n: 50 },
      // Armor's Apollo token plugin throws from parsingDidStart, which turns every syntax error
      // into an HTTP 500; the body size limit bounds the token count instead (docs/decisions).
      maxTokens: { enabled: false },
      // Field suggestions help discovery in development and leak the schema in production.
      blockFieldSuggestion: { enabled: !this.config.introspection },
    }).protect();
    const formatError = createGraphQLErrorFormatter({
      reportInternal: (error, requestId) =>
        this.logger.error({ err: error, requestId }, 'unexpected error while resolving a GraphQL request'),
      classifyStoreFailure,
      reportStoreUnavailable: (store, error, requestId) => {
        this.metrics.countStoreUnavailable(store);
        this.logger.warn({ store, requestId, reason: (error as Error).message }, `${store} unavailable`);
      },
    });
    // graphql-ws does not go through Apollo, so its results are formatted here with the same formatter.
    const formatAll = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));

    return {
      // Kept in memory; test/schema.e2e-spec.ts compares it with the committed schema.gql.
      autoSchemaFile: true,
      sortSchema: true,
      path: '/graphql',
      playground: false,
      introspection: this.config.introspection,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: false,
      allowBatchedHttpRequests: false,
      autoTransformHttpErrors: false,
      validationRules: armor.validationRules,
      plugins: [
        ...armor.plugins,
        graphqlMetricsPlugin(this.metrics),
        this.config.sandbox
          ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
          : this.config.production
            ? ApolloServerPluginLandingPageDisabled()
            : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
      ],
      formatError,
      subscriptions: {
        // The same limits as HTTP: graphql-ws validates with these rules before subscribing.
        'graphql-ws': {
          path: '/graphql',
          onConnect: (ctx: SocketContext) => this.sockets.onConnect(ctx),
          onClose: (ctx: SocketContext) => this.sockets.onClose(ctx),
          validate: (schema: GraphQLSchema, document: DocumentNode) =>
            validate(schema, document, [...specifiedRules, ...armor.validationRules]),
          // graphql-ws reports validation failures here; label them as Apollo does over HTTP.
          onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) =>
            errors.map((e) =>
              formatError({ ...e.toJSON(), extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }, e),
            ),
          onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
            result.errors ? { ...result, errors: formatAll(result.errors) } : undefined,
        } as GraphQLWsSubscriptionsConfig,
      },
      context: (args: HttpContextArgs | WsContextArgs): GraphQLContext =>
        'connectionParams' in args || 'extra' in args
          ? this.wsContext(args)
          : this.httpContext(args as HttpContextArgs),
    };
  }

  private httpContext({ req, res }: HttpContextArgs): GraphQLContext {
    return {
      req,
      res,
      requestId: RequestContext.requestId() ?? (req as Request & { id?: string }).id ?? 'unknown',
      loaders: this.loaders.create(),
      clientIp: req.ip ?? req.socket?.remoteAddress ?? 'unknown',
    };
  }

  /**
   * graphql-ws calls this per subscribe message. The token travels in connectionParams; it is put
   * where the HTTP header would be, so the one auth guard serves both transports.
   */
  private wsContext({ connectionParams, extra }: WsContextArgs): GraphQLContext {
    const raw = connectionParams?.authorization ?? connectionParams?.Authorization;
    const authorization = typeof raw === 'string' ? (raw.startsWith('Bearer ') ? raw : `Bearer ${raw}`) : undefined;
    const req = { headers: authorization ? { authorization } : {} } as unknown as Request;
    return {
      req,
      requestId: ulid(),
      loaders: this.loaders.create(),
      clientIp: extra?.request?.socket?.remoteAddress ?? 'unknown',
    };
  }
}

type HttpContextArgs = { req: Request; res: Response };
type WsContextArgs = { connectionParams?: Record<string, unknown>; extra?: { request?: IncomingMessage } };
