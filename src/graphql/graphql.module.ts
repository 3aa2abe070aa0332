import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Logger, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { FastifyRequest } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import { AuthModule } from '../auth/auth.module';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { GraphqlMetrics } from '../metrics/graphql-metrics';
import { ContextFactory } from './context.factory';
import { errorLoggingPlugin, formatError, LIMIT_REFUSAL, withoutSuggestions } from './error-formatter';
import { GraphqlExceptionFilter } from './graphql-exception.filter';
import { GRAPHQL_PATH } from './http-refusals';
import { noStorePlugin } from './no-store.plugin';
import { PostOnlyHook } from './post-only.hook';
import { costLimitRule } from './query-cost';
import { RateLimiter } from './rate-limit';
import { RateLimitHook } from './rate-limit.hook';
import { SocketCredentials } from './socket-credentials';
import { subscriptionOptions } from './subscriptions';
import './enums';
import { DateTimeScalar } from './types/scalars';
import { TransactionBackstopHook } from './transaction-backstop.hook';
import { unitOfWorkPlugin } from './unit-of-work.plugin';

/**
 * Explicit limits: a legitimate client never reaches them; a hostile query that tries to make the server do
 * unbounded work is refused before it runs. The numbers are not disclosed in errors.
 *
 * maxCost bounds the fields an answer could hold (query-cost.ts). The largest answer the contract needs,
 * `children(first: 100)` with every field of a child and of its first page of concerns, is estimated at 256,105
 * (test/query-limits.e2e-spec.ts); twice that, or one more level of nested lists under it, is refused.
 */
export const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxCost: 400_000, maxDirectives: 20, maxTokens: 2000 };

function apolloLogger() {
  const log = new Logger('Apollo');
  return {
    debug: (message: unknown) => log.debug(String(message)),
    info: (message: unknown) => log.log(String(message)),
    warn: (message: unknown) => log.warn(String(message)),
    error: (message: unknown) => log.error(String(message)),
  };
}

function apolloOptions(
  config: AppConfig,
  contexts: ContextFactory,
  metrics: GraphqlMetrics,
  credentials: SocketCredentials,
): ApolloDriverConfig {
  const development = config.env === 'development';
  const refusal = { exposeLimits: false, errorMessage: LIMIT_REFUSAL };
  const armor = new ApolloArmor({
    // `__schema` is exempt from depth and cost so developer tools can introspect; outside development
    // introspection is refused outright.
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...refusal },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...refusal },
    // Armor's cost ignores `first` given as a variable, as clients send it, and grows with depth instead of with
    // list sizes: costLimitRule below counts what a page can hold.
    costLimit: { enabled: false },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...refusal },
    // Counted by graphql-js's own parser (parseOptions below): armor's token plugin rejects from inside
    // Apollo's request pipeline, which Apollo answers as a 500.
    maxTokens: { enabled: false },
    // Suggestions ("did you mean ...?") describe the schema; cut from every answer unless developing, by
    // withoutSuggestions below, which also reaches variable errors that armor's rule does not see.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  const validationRules = [...protection.validationRules, costLimitRule(QUERY_LIMITS.maxCost, LIMIT_REFUSAL)];
  const errorFormatter = development
    ? formatError
    : (formatted: GraphQLFormattedError, error: unknown) => withoutSuggestions(formatError(formatted, error));
  return {
    driver: ApolloDriver,
    path: GRAPHQL_PATH,
    autoSchemaFile: config.schemaFile ?? true,
    sortSchema: true,
    // JS Date fields are instants (DateTime); calendar dates are strings declared as `@Field(() => DateScalar)`.
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
    // Guards (the authorization policy) must also run in front of @ResolveField resolvers.
    fieldResolverEnhancers: ['guards'],
    context: (request: FastifyRequest) => contexts.forHttpRequest(request),
    // Library defaults change between versions: say each one explicitly.
    introspection: development,
    includeStacktraceInErrorResponses: development,
    graphiql: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries are on by default: a cache anyone may fill, and a second way in to guard.
    persistedQueries: false,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },

    // Apollo's own messages go through the app's logger, so stdout stays one JSON object per line.
    logger: apolloLogger(),
    plugins: [
      ...protection.plugins,
      errorLoggingPlugin(),
      unitOfWorkPlugin(),
      metrics.plugin(),
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin(),
    ],
    validationRules,
    formatError: errorFormatter,
    // conferenceUpdated and notificationAdded, over graphql-ws on the same path (subscriptions.ts).
    subscriptions: {
      'graphql-ws': subscriptionOptions(contexts, credentials, {
        maxTokens: QUERY_LIMITS.maxTokens,
        validationRules,
        formatError: errorFormatter,
      }),
    },
  } as ApolloDriverConfig;
}

/**
 * Builds each request's Scope from its bearer token (the session, looked up through auth), and each socket's from
 * the credentials it proves.
 */
@Module({
  imports: [AuthModule],
  providers: [ContextFactory, SocketCredentials],
  exports: [ContextFactory, SocketCredentials],
})
class GraphqlContextModule {}

@Module({
  imports: [
    GraphqlContextModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [GraphqlContextModule],
      inject: [APP_CONFIG, ContextFactory, GraphqlMetrics, SocketCredentials],
      useFactory: apolloOptions,
    }),
    AuthModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
    PostOnlyHook,
    TransactionBackstopHook,
    RateLimiter,
    RateLimitHook,
  ],
  // The pages (src/web) run their operations through this server, with the context and the limits of the API.
  exports: [GraphqlContextModule, RateLimitHook],
})
export class GraphqlModule {}
