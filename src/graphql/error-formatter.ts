import { Logger } from '@nestjs/common';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { AppError } from './errors';
import type { RequestContext } from './request-context';

/** Codes that Apollo or graphql-js raise for a malformed request; they describe the request, never the server. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const CORRELATION = Symbol('correlationId');
type Correlated = { [CORRELATION]?: string };

function isExpected(error: unknown): boolean {
  if (error instanceof AppError) return true;
  return (
    error instanceof GraphQLError && !error.originalError && REQUEST_ERROR_CODES.has(String(error.extensions.code))
  );
}

/** Logs every unexpected error once, with the request's correlation id and no request variables. */
export function errorLoggingPlugin(): ApolloServerPlugin<RequestContext> {
  const log = new Logger('GraphQL');
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const cause = unwrapResolverError(error);
            if (isExpected(cause) || isExpected(error)) continue;
            (error as Correlated)[CORRELATION] = contextValue.requestId;
            log.error({ requestId: contextValue.requestId, path: error.path?.join('.'), err: cause }, 'internal error');
          }
        },
      };
    },
  };
}

/**
 * What a client sees of an error: expected errors as thrown (message, code, field), anything else as a bare
 * INTERNAL_SERVER_ERROR with the correlation id to quote. Never a stack trace, SQL or a library's message.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const cause = unwrapResolverError(error);
  if (isExpected(cause) || isExpected(error)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    void _stack;
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: (error as Correlated)[CORRELATION] },
  };
}
