import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import { getOperationAST } from 'graphql';
import { currentRequest, RequestScope } from '../logging/request-scope';
import { Metrics } from './metrics.service';

const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

interface Answer {
  operationName: string | null;
  response: GraphQLResponse;
}

/** OK, or the code of the answer's first error as the client received it (server-defined, bounded anyway). */
function outcomeOf({ body }: GraphQLResponse): string {
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  if (!errors?.length) return 'OK';
  const code = errors[0].extensions?.code;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'UNKNOWN';
}

/**
 * A request refused before GraphQL ran (an ended session, a CSRF or GET refusal, a failure building its
 * context such as the database being down) never reaches Apollo's plugins: its HTTP status says what happened.
 */
function outcomeOfStatus(status: number): string {
  if (status < 400) return 'OK';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 429) return 'RATE_LIMITED';
  return status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
}

/**
 * Counts and times every request to /graphql once its answer is sent: Apollo runs its plugins' last hooks
 * side by side, and the unit-of-work plugin may still replace the answer (a failed commit) after any other
 * plugin has seen it, so the Apollo plugin only remembers the answer and Fastify's response hook reads it.
 */
@Injectable()
export class GraphqlMetrics implements OnModuleInit {
  private readonly answers = new WeakMap<RequestScope, Answer>();

  constructor(
    private readonly metrics: Metrics,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  plugin(): ApolloServerPlugin {
    return {
      requestDidStart: async () => ({
        willSendResponse: async ({ response, operationName, request, document }) => {
          const scope = currentRequest();
          if (!scope) return;
          // A query refused by validation has no resolved operation yet, but its document names it.
          const named = operationName ?? (document && getOperationAST(document, request.operationName)?.name?.value);
          this.answers.set(scope, { operationName: named ?? request.operationName ?? null, response });
        },
      }),
    };
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.url !== '/graphql') return;
      const scope = currentRequest();
      const answer = scope && this.answers.get(scope);
      const sentName = (request.body as { operationName?: unknown } | undefined)?.operationName;
      const labels = {
        operation: this.metrics.operationLabel(answer ? answer.operationName : sentName),
        outcome: answer ? outcomeOf(answer.response) : outcomeOfStatus(reply.statusCode),
      };
      this.metrics.graphqlRequests.inc(labels);
      this.metrics.graphqlDuration.observe(labels, reply.elapsedTime / 1000);
    });
  }
}
