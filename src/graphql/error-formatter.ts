import { Logger } from '@nestjs/common';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError, Kind } from 'graphql';
import { DomainError } from '../common/errors';
import type { Scope } from '../access/scope';

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

/**
 * The one answer to every query-limit breach (depth, aliases, cost, directives, tokens), always with the code
 * GRAPHQL_VALIDATION_FAILED: which limit was hit, and its value, stay private.
 */
export const LIMIT_REFUSAL = 'The query exceeds a limit of this service';
/** What graphql-armor's rules report: the refusal behind the prefix they always add. */
const ARMOR_REFUSAL = `Syntax Error: ${LIMIT_REFUSAL}`;
/** graphql-js's own wording when its parser stops at the token limit. */
const TOKEN_LIMIT = /^Syntax Error: Document contains more th(?:an|at) \d+ tokens/;

function isLimitRefusal(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    !error.path &&
    (error.message === LIMIT_REFUSAL || error.message === ARMOR_REFUSAL || TOKEN_LIMIT.test(error.message))
  );
}

const CORRELATION = Symbol('correlationId');
type Correlated = { [CORRELATION]?: string };

/**
 * A domain error, or a request error raised before execution (parsing, validation including the query limits,
 * variable coercion). Such errors carry no `path`; anything raised while resolving a field has one and is
 * expected only if it is a domain error. Apollo wraps validation errors, keeping the rule's error as
 * `originalError`, so the code and the path decide, not the wrapping.
 */
function isExpected(error: unknown): boolean {
  if (domainErrorOf(error)) return true;
  if (isVariableErrorLimit(error)) return true;
  return error instanceof GraphQLError && !error.path && REQUEST_ERROR_CODES.has(String(error.extensions.code));
}

/**
 * graphql-js stops coercing variables after 50 bad values and adds this error, with no code, after the 50
 * BAD_USER_INPUT errors that each name their field. It is about the request as a whole: BAD_REQUEST.
 */
const VARIABLE_ERROR_LIMIT = 'Too many errors processing variables, error limit reached. Execution aborted.';

function isVariableErrorLimit(error: unknown): boolean {
  return error instanceof GraphQLError && !error.path && !error.nodes && error.message === VARIABLE_ERROR_LIMIT;
}

/**
 * The domain error behind an error: thrown by a service or a guard (graphql-js wraps it, knowing nothing of it,
 * as INTERNAL_SERVER_ERROR), or raised while building the context (Apollo wraps that once more).
 */
function domainErrorOf(error: unknown): DomainError | undefined {
  for (let e = error; e instanceof Error; e = (e as GraphQLError).originalError) {
    if (e instanceof DomainError) return e;
    if (!(e instanceof GraphQLError) || e.originalError === e) return undefined;
  }
  return undefined;
}

const log = new Logger('GraphQL');

/**
 * Logs an unexpected error once, with the request's correlation id and no request variables, and marks it so the
 * client's answer quotes the same id.
 */
export function recordInternalError(error: unknown, requestId: string, path?: ReadonlyArray<string | number>): void {
  if (error instanceof Object) (error as Correlated)[CORRELATION] = requestId;
  log.error({ requestId, path: path?.join('.'), err: error }, 'internal error');
}

function correlationOf(error: unknown): string | undefined {
  for (let e = error; e instanceof Object; e = (e as GraphQLError).originalError) {
    const id = (e as Correlated)[CORRELATION];
    if (id) return id;
  }
  return undefined;
}

/** Logs every unexpected error of a request once; expected outcomes (domain errors, bad requests) are not logged. */
export function errorLoggingPlugin(): ApolloServerPlugin<Scope> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const cause = unwrapResolverError(error);
            if (isExpected(cause) || isExpected(error)) continue;
            recordInternalError(cause, contextValue.requestId, error.path);
          }
        },
      };
    },
  };
}

/** graphql-js ends a message about an unknown field, type, argument or enum value with the names it knows. */
const SUGGESTION = /\s*Did you mean [\s\S]*$/;

/**
 * graphql-js's "Did you mean ...?" tails name fields, types and enum values, which outside development
 * describe the schema as introspection would. They appear in validation errors and, for enum values and input
 * fields sent as variables, in BAD_USER_INPUT answers too, so they are cut from every answer.
 */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return SUGGESTION.test(formatted.message)
    ? { ...formatted, message: formatted.message.replace(SUGGESTION, '') }
    : formatted;
}

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
/** graphql-js's causes that name an input field of the object at the path: one missing, or one it does not know. */
const FIELD_OF_OBJECT = new RegExp(`^Field "(${NAME})" (?:of required type|is not defined by type) `);

/**
 * Where a variable's value does not fit its type, as `field`: `$input.identifiers[0].value`, with the `$`
 * because it is the client's variable that is named (it may differ from the argument's name). graphql-js says
 * where only in its message ("Variable "$input" got invalid value 12 at "input.identifiers[0].value"; <why>");
 * the variable itself is the error's one node, and <why> is its cause's message. Both the value and the cause
 * may quote the client's text, so the path is read only from between them, and a field named by the cause
 * only when it is a GraphQL name.
 */
function variableFieldOf(error: GraphQLError): string | undefined {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const name = node.variable.name.value;
  const cause = error.originalError && error.originalError !== error ? error.originalError.message : undefined;
  const why = cause === undefined ? undefined : `; ${cause}`;
  const head = why && error.message.endsWith(why) ? error.message.slice(0, -why.length) : error.message;
  const path = new RegExp(` at "${name}((?:\\.${NAME}|\\[\\d+\\])*)"$`).exec(head)?.[1] ?? '';
  const field = cause === undefined ? undefined : FIELD_OF_OBJECT.exec(cause)?.[1];
  return `$${name}${path}${field ? `.${field}` : ''}`;
}

/**
 * What a client sees of an error: expected errors as thrown (message, code, field), anything else as a bare
 * INTERNAL_SERVER_ERROR with the correlation id to quote. Never a stack trace, SQL or a library's message.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (isLimitRefusal(error)) return { message: LIMIT_REFUSAL, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
  if (isVariableErrorLimit(error)) return { message: VARIABLE_ERROR_LIMIT, extensions: { code: 'BAD_REQUEST' } };
  const domain = domainErrorOf(error);
  if (domain) return { ...formatted, message: domain.message, extensions: { code: domain.code, ...domain.details() } };
  const cause = unwrapResolverError(error);
  if (isExpected(cause) || isExpected(error)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    void _stack;
    if (extensions.code === 'BAD_USER_INPUT' && extensions.field === undefined && error instanceof GraphQLError) {
      const field = variableFieldOf(error);
      if (field) extensions.field = field;
    }
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: correlationOf(error) },
  };
}
