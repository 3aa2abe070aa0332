import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '../logging/logger';
import { bodyRefusal, GRAPHQL_PATH, refusal } from './http-refusals';

/**
 * Inside GraphQL, hands every exception back to Apollo untouched. Without this, Nest's default handler logs each
 * one (an expected UNAUTHENTICATED from the policy guard included) at ERROR level with a stack; Apollo's
 * errorLoggingPlugin already logs the unexpected ones, once, with the request's correlation id.
 * A body Fastify refuses to read for the GraphQL endpoint (too large, not JSON, empty, another content type) is
 * answered in GraphQL's shape with Fastify's status, as the client's fault, and not logged.
 * Other HTTP routes (health, GraphiQL in development) keep Nest's default handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception;
    const [request, reply] = host.getArgs<[FastifyRequest, FastifyReply]>();
    const refused = bodyRefusal(exception);
    if (refused && pathOf(request.url) === GRAPHQL_PATH && !reply.sent) {
      void reply.code(refused.status).send(refusal(refused.message));
      return;
    }
    super.catch(exception, host);
  }
}
