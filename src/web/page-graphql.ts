import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ContextFactory } from '../graphql/context.factory';
import { toGraphQLError } from '../graphql/errors';
import { RateLimitHook } from '../graphql/rate-limit.hook';
import type { Operation } from './operation';
import { PageInternalError, PageNotFound, PageRefusal, SignInRequired } from './page-errors';

/** What an operation answered, as a GraphQL client sees it. */
export interface OperationResult<T> {
  data: T | null;
  errors: readonly GraphQLFormattedError[];
}

/** A BAD_USER_INPUT answer: the message and the input field it names (`input.narrative`, `$input.category`). */
export interface InputProblem {
  message: string;
  field: string;
  choices?: Array<{ value: string; label: string }>;
}

/**
 * Runs the pages' operations against the service's own GraphQL server, as the signed-in person.
 *
 * In process, through `executeOperation` of the same Apollo server that answers /graphql, with a context built by
 * the same ContextFactory from the session's token: the same parsing and validation (the query limits and cost),
 * the same guards, access rules and audit, the same error formatting, and one unit of work per operation that
 * Apollo's unitOfWorkPlugin commits or rolls back exactly as for an API request (a failed mutation changes
 * nothing). The context is registered against the page's own HTTP request, so TransactionBackstopHook closes a
 * unit that anything left open, and the page request's id is the correlation id in logs, audit and error pages.
 * Each operation is counted against the person's RATE_LIMIT_PER_MINUTE like a POST to /graphql.
 *
 * Not a loopback HTTP call: that would run under a second request id, put every person's sign-in throttling
 * on the one address 127.0.0.1 (30 failures anywhere would lock out everyone signing in through the pages),
 * and need the service to know its own listening address.
 */
@Injectable()
export class PageGraphql {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly contexts: ContextFactory,
    private readonly rateLimit: RateLimitHook,
  ) {}

  async execute<T>(
    request: FastifyRequest,
    token: string | undefined,
    operation: Operation,
    variables: Record<string, unknown> = {},
  ): Promise<OperationResult<T>> {
    const authorization = token ? `Bearer ${token}` : undefined;
    const refusal = await this.rateLimit.refusalOf(authorization, request.ip, { query: operation.text });
    if (refusal) return { data: null, errors: [toGraphQLError(refusal).toJSON()] };
    let contextValue;
    try {
      contextValue = await this.contexts.forHttpRequest(request, authorization);
    } catch (error) {
      // A token whose session has ended is refused before execution, as UNAUTHENTICATED; anything else was
      // recorded with the request's id by the context factory.
      if (error instanceof GraphQLError) return { data: null, errors: [error.toJSON()] };
      throw new PageInternalError(String(request.id));
    }
    const response = await this.server().executeOperation(
      { query: operation.text, operationName: operation.name, variables },
      { contextValue },
    );
    if (response.body.kind !== 'single') throw new Error(`${operation.name} answered incrementally`);
    const { data, errors } = response.body.singleResult;
    return { data: (data as T | null | undefined) ?? null, errors: errors ?? [] };
  }

  private server() {
    return this.moduleRef.get(GraphQLModule<ApolloDriver>, { strict: false }).graphQlAdapter.instance;
  }
}

const codeOf = (error: GraphQLFormattedError) => String(error.extensions?.code ?? '');

/**
 * The answer's data, or the page every other outcome leads to. `returnTo` is where to come back after signing in
 * again. BAD_USER_INPUT is a form's to show (inputProblemsOf); anywhere else it is the page's fault.
 */
export function dataOf<T>(result: OperationResult<T>, returnTo?: string): T {
  const [error] = result.errors;
  if (!error && result.data) return result.data;
  if (!error) throw new PageNotFound();
  switch (codeOf(error)) {
    case 'UNAUTHENTICATED':
      throw new SignInRequired(returnTo, 'ended');
    case 'NOT_FOUND':
      throw new PageNotFound();
    case 'FORBIDDEN':
      throw new PageRefusal(403, error.message);
    case 'RATE_LIMITED':
      throw new PageRefusal(429, error.message);
    case 'CONFLICT':
      throw new PageRefusal(409, error.message);
    case 'FAILED_PRECONDITION':
      throw new PageRefusal(422, error.message);
    default:
      throw new PageInternalError(String(error.extensions?.correlationId ?? ''));
  }
}

/** The BAD_USER_INPUT problems of an answer, for the form's error summary; undefined when there are none. */
export function inputProblemsOf(result: OperationResult<unknown>): InputProblem[] | undefined {
  if (result.errors.length === 0 || !result.errors.every((error) => codeOf(error) === 'BAD_USER_INPUT')) {
    return undefined;
  }
  return result.errors.map((error) => ({
    message: error.message,
    field: String(error.extensions?.field ?? ''),
    choices: error.extensions?.choices as InputProblem['choices'],
  }));
}
