import { Injectable, Logger } from '@nestjs/common';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GqlOptionsFactory, GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DocumentNode,
  ExecutionResult,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { ulid } from 'ulid';
import { createGraphQLErrorFormatter, RequestContext } from '@app/common';
import { AppConfig } from '../config/app-config';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics.plugin';
import { MetricsService } from '../observability/metrics.service';
import { classifyStoreFailure } from '../stores/store-failures';
import { GraphQLContext } from './graphql-context';
import { httpOperationsPlugin } from './http-operations.plugin';
import { costLimitError, queryCostPlugin } from './query-cost';
import { LoaderFactory } from './request-loaders';
import { SocketContext, SocketLifecycle } from './socket-lifecycle';

@Injectable()
export class GraphQLOptions implements GqlOptionsFactory<ApolloDriverConfig> {
  private readonly logger = new Logger('GraphQL');
  /** The final schema, captured once built, for the WebSocket cost check. */
  private schema?: GraphQLSchema;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly loaders: LoaderFactory,
    private readonly sockets: SocketLifecycle,
  ) {}

  createGqlOptions(): ApolloDriverConfig {
    // armor prefixes its limit messages with "Syntax Error:"; report them as what they are.
    const limit = { exposeLimits: true, propagateOnRejection: false, onReject: [reportLimit] };
    const armor = new ApolloArmor({
      maxDepth: { n: this.config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, ...limit },
      maxAliases: { n: this.config.GRAPHQL_MAX_ALIASES, ...limit },
      maxDirectives: { n: 50, ...limit },
      // armor's cost rule cannot see variables (a validation rule); query-cost.ts replaces it.
      costLimit: { enabled: false },
      // Armor's Apollo token plugin throws from parsingDidStart, which turns every syntax error
      // into an HTTP 500; the body size limit bounds the token count instead (docs/decisions).
      maxTokens: { enabled: false },
      // Field suggestions help discovery in development and leak the schema in production.
      blockFieldSuggestion: { enabled: !this.config.introspection },
    }).protect();
    const rules: ValidationRule[] = [...specifiedRules, ...armor.validationRules];
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
      transformSchema: (schema: GraphQLSchema) => (this.schema = schema),
      plugins: [
        httpOperationsPlugin(),
        queryCostPlugin(this.config.GRAPHQL_MAX_COST),
        // Plugins Apollo installs unless told not to. The cache-control one hooks willResolveField,
        // which makes Apollo wrap every field's resolver, and the schema sets no cache hints; there
        // is no Apollo Studio (usage and schema reporting) and no federation (inline traces).
        ApolloServerPluginCacheControlDisabled(),
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginSchemaReportingDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        {
          requestDidStart: async () => ({
            // The formatter sees errors without their context: mark each with its request id.
            didEncounterErrors: async ({ errors, contextValue }) => {
              const requestId = (contextValue as Partial<GraphQLContext>).requestId;
              if (requestId) for (const error of errors) RequestContext.tagError(error, requestId);
            },
            // What the cache-control plugin answered for a schema without hints: never store a response.
            willSendResponse: async ({ response }) => void response.http.headers.set('cache-control', 'no-store'),
          }),
        },
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
        // The same limits as HTTP: graphql-ws validates with these rules before subscribing, and
        // onSubscribe checks the cost with the operation's variables first.
        'graphql-ws': {
          path: '/graphql',
          onConnect: (ctx: SocketContext) => this.sockets.onConnect(ctx),
          onClose: (ctx: SocketContext) => this.sockets.onClose(ctx),
          onSubscribe: (_ctx: unknown, _id: string, payload: SubscribePayload) =>
            this.checkSubscription(payload, rules),
          validate: (schema: GraphQLSchema, document: DocumentNode) => validate(schema, document, rules),
          // graphql-ws reports refusals here; label them as Apollo does over HTTP.
          onError: (_ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]) =>
            errors.map((e) => {
              const { http: _http, ...extensions } = e.extensions;
              return formatError(
                { ...e.toJSON(), extensions: { ...extensions, code: extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' } },
                e,
              );
            }),
          onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
            result.errors ? { ...result, errors: formatAll(result.errors) } : undefined,
        } as GraphQLWsSubscriptionsConfig,
      },
      // Over HTTP the Fastify integration passes (request, reply); graphql-ws passes its context first.
      context: (args: FastifyRequest | WsContextArgs, reply: FastifyReply): GraphQLContext =>
        'connectionParams' in args || 'extra' in args
          ? this.wsContext(args)
          : this.httpContext(args as FastifyRequest, reply),
    };
  }

  /**
   * Refuses a subscribe message whose operation is over the cost limit with its variables, or that
   * does not parse; null lets graphql-ws go on (it validates, then subscribes).
   */
  private checkSubscription(payload: SubscribePayload, rules: ValidationRule[]): GraphQLError[] | undefined {
    const schema = this.schema;
    if (!schema || typeof payload?.query !== 'string') return undefined;
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (err) {
      const message = err instanceof GraphQLError ? err.message : 'The query does not parse';
      return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    const operation = getOperationAST(document, payload.operationName);
    if (!operation || validate(schema, document, rules).length > 0) return undefined;
    const error = costLimitError(
      schema,
      document,
      operation,
      payload.variables ?? undefined,
      this.config.GRAPHQL_MAX_COST,
    );
    return error ? [error] : undefined;
  }

  private httpContext(req: FastifyRequest, res: FastifyReply): GraphQLContext {
    return {
      req,
      res,
      requestId: req.id,
      loaders: this.loaders.create(),
      // Fastify's trustProxy (TRUST_PROXY) decides whose X-Forwarded-For is believed; worked out
      // only when a rate limit asks, since most requests never do.
      get clientIp() {
        return req.ip || 'unknown';
      },
    };
  }

  /**
   * graphql-ws calls this per subscribe message. The token travels in connectionParams; it is put
   * where the HTTP header would be, so the one auth guard serves both transports.
   */
  private wsContext({ connectionParams, extra }: WsContextArgs): GraphQLContext {
    const raw = connectionParams?.authorization ?? connectionParams?.Authorization;
    const authorization = typeof raw === 'string' ? (raw.startsWith('Bearer ') ? raw : `Bearer ${raw}`) : undefined;
    const req = { headers: authorization ? { authorization } : {} } as unknown as FastifyRequest;
    return {
      req,
      requestId: ulid(),
      loaders: this.loaders.create(),
      clientIp: extra?.request?.socket?.remoteAddress ?? 'unknown',
    };
  }
}

type SubscribePayload = { query?: unknown; operationName?: string | null; variables?: Record<string, unknown> | null };
type WsContextArgs = { connectionParams?: Record<string, unknown>; extra?: { request?: IncomingMessage } };

/** armor's onReject: the same refusal, without its "Syntax Error:" prefix. */
function reportLimit(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    }),
  );
}
