import { GraphQLError } from 'graphql';
import { DomainError } from '../common/errors';

/**
 * A domain error as GraphQL carries it: the message, and `extensions.code` with its details (`field`,
 * `retryAfterSeconds`). The one place the domain's outcomes meet the transport (twenty's per-domain exception
 * filters play this part there); `http` sets the status of an answer refused before any resolver ran.
 */
export function toGraphQLError(error: DomainError, http?: { status: number }): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, ...error.details(), ...(http ? { http } : {}) },
  });
}
