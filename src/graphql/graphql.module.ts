import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { FastifyRequest } from 'fastify';
import { AuthModule } from '../auth/auth.module';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { ContextFactory } from './context.factory';
import { errorLoggingPlugin, formatError } from './error-formatter';
import { DateTimeScalar } from './scalars';
import { unitOfWorkPlugin } from './unit-of-work.plugin';

/**
 * Explicit limits (graphql-armor): a legitimate client never comes near them; a hostile query that tries to
 * make the server do unbounded work is refused before it runs. The numbers are not disclosed in errors.
 */
export const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxCost: 5000, maxDirectives: 20, maxTokens: 2000 };

function apolloOptions(config: AppConfig, contexts: ContextFactory): ApolloDriverConfig {
  const development = config.env === 'development';
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, exposeLimits: false, flattenFragments: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases, exposeLimits: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, exposeLimits: false },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, exposeLimits: false },
    maxTokens: { n: QUERY_LIMITS.maxTokens, exposeLimits: false },
    // Field suggestions ("did you mean ...?") describe the schema; off unless developing.
    blockFieldSuggestion: { enabled: !development },
  });
  const protection = armor.protect();
  return {
    driver: ApolloDriver,
    path: '/graphql',
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

    plugins: [...protection.plugins, errorLoggingPlugin(), unitOfWorkPlugin()],
    validationRules: protection.validationRules,
    formatError,
  } as ApolloDriverConfig;
}

@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [AuthModule],
      inject: [APP_CONFIG, ContextFactory],
      useFactory: apolloOptions,
    }),
  ],
})
export class GraphqlModule {}
