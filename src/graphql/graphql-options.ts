import { Injectable, Logger } from '@nestjs/common';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GqlOptionsFactory } from '@nestjs/graphql';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Request, Response } from 'express';
import { createGraphQLErrorFormatter, RequestContext } from '@app/common';
import { AppConfig } from '../config/app-config';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics.plugin';
import { MetricsService } from '../observability/metrics.service';
import { GraphQLContext } from './graphql-context';
import { LoaderFactory } from './request-loaders';

@Injectable()
export class GraphQLOptions implements GqlOptionsFactory<ApolloDriverConfig> {
  private readonly logger = new Logger('GraphQL');

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly loaders: LoaderFactory,
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
      formatError: createGraphQLErrorFormatter((error, requestId) =>
        this.logger.error({ err: error, requestId }, 'unexpected error while resolving a GraphQL request'),
      ),
      context: ({ req, res }: { req: Request; res: Response }): GraphQLContext => ({
        req,
        res,
        requestId: RequestContext.requestId() ?? (req as Request & { id?: string }).id ?? 'unknown',
        loaders: this.loaders.create(),
      }),
    };
  }
}
