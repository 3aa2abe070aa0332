import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Inside GraphQL, hands every exception back to Apollo untouched. Without this, Nest's default handler logs each
 * one (an expected UNAUTHENTICATED from the policy guard included) at ERROR level with a stack; Apollo's
 * errorLoggingPlugin already logs the unexpected ones, once, with the request's correlation id.
 * HTTP routes (health, GraphiQL in development) keep Nest's default handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception;
    super.catch(exception, host);
  }
}
