import type { IncomingMessage } from 'node:http';
import {
  createSourceEventStream,
  execute,
  ExecutionArgs,
  ExecutionResult,
  GraphQLError,
  GraphQLFormattedError,
  Kind,
  parse,
  specifiedRules,
  validate,
  ValidationRule,
} from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { NotFoundError } from '../common/errors';
import type { ContextFactory } from './context.factory';
import type { SocketCredentials } from './socket-credentials';
import { recordInternalError } from './error-formatter';

/** What a socket proved when it connected: the bearer token each piece of its work is checked against again. */
interface LiveConnection {
  authorization: string;
  clientAddress: string;
  socket: WebSocket;
}

interface LiveExtra {
  socket: WebSocket;
  request: IncomingMessage;
  connection?: LiveConnection;
}

/** graphql-ws's close code for a socket whose sign-in no longer holds (its own 4401 before connection_init). */
const SESSION_ENDED = { code: 4401, reason: 'Your session has ended; sign in again' };

export interface SubscriptionLimits {
  maxTokens: number;
  validationRules: readonly ValidationRule[];
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * graphql-ws on the HTTP server's `upgrade` event (GqlSubscriptionService). The upgrade never enters Fastify's
 * request lifecycle, so no HTTP hook runs for it and none is needed: nothing here holds a request's unit of work.
 *
 * - Authenticated when the socket connects (`connectionParams.authorization`, a bearer token as over HTTP, or
 *   else what the upgrade request itself proves by SocketCredentials: the pages' session cookie); a socket
 *   without a live session is closed with 4403 before it may subscribe.
 * - Only subscriptions: a query or mutation is answered over HTTP, where its transaction, rate limit and error
 *   handling live.
 * - The same parser token limit and validation rules (depth, aliases, cost) as HTTP.
 * - Each piece of work, the subscription's start and then every event, runs in a Scope of its own built afresh
 *   from the token (ContextFactory.forSubscription): the session is looked up again, the record re-read through
 *   the services with a new unit of work, committed with its audit when the event is delivered. Nothing is held
 *   between events. Once the session has ended the socket is closed; an event whose subject the subscriber no
 *   longer sees (NOT_FOUND, as if it did not exist) is dropped.
 */
export function subscriptionOptions(
  contexts: ContextFactory,
  credentials: SocketCredentials,
  limits: SubscriptionLimits,
): Partial<ServerOptions> {
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => limits.formatError(error.toJSON(), error));
  return {
    connectionInitWaitTimeout: 10_000,
    onConnect: async (ctx) => {
      const extra = ctx.extra as LiveExtra;
      const given = ctx.connectionParams?.authorization;
      const authorization = given === undefined ? credentials.authorizationOf(extra.request) : given;
      if (typeof authorization !== 'string') return false;
      const clientAddress = extra.request.socket.remoteAddress ?? '';
      if (!(await contexts.forSubscription(authorization, clientAddress))) return false;
      extra.connection = { authorization, clientAddress, socket: extra.socket };
      return true;
    },
    context: (ctx) => (ctx.extra as LiveExtra).connection,
    parse: (source) => parse(source, { maxTokens: limits.maxTokens }),
    validate: (schema, document) => {
      const errors = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
      const other = document.definitions.some(
        (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation !== 'subscription',
      );
      if (!errors.length && other) {
        return [
          new GraphQLError('Only subscriptions are served over this socket; send queries and mutations over HTTP', {
            extensions: { code: 'BAD_REQUEST' },
          }),
        ];
      }
      return errors.map(
        (error) =>
          new GraphQLError(error.message, {
            nodes: error.nodes,
            originalError: error.originalError,
            extensions: { ...error.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
      );
    },
    subscribe: (args) => subscribe(contexts, limits, args),
    onNext: (_ctx, _id, _payload, _args, result) => ({
      ...result,
      ...(result.errors ? { errors: format(result.errors) } : {}),
    }),
    onError: (_ctx, _id, _payload, errors) => format(errors),
  };
}

/** Starts a subscription in a Scope of its own (its resolver checks access and may read, audited), then delivers. */
async function subscribe(
  contexts: ContextFactory,
  limits: SubscriptionLimits,
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const connection = args.contextValue as LiveConnection;
  const scope = await contexts.forSubscription(connection.authorization, connection.clientAddress);
  if (!scope) {
    connection.socket.close(SESSION_ENDED.code, SESSION_ENDED.reason);
    return { errors: [new GraphQLError(SESSION_ENDED.reason, { extensions: { code: 'UNAUTHENTICATED' } })] };
  }
  let source: Awaited<ReturnType<typeof createSourceEventStream>>;
  try {
    source = await createSourceEventStream({ ...args, contextValue: scope });
  } catch (error) {
    await scope.unit.rollback();
    throw error;
  }
  if (!isAsyncIterable(source)) {
    await scope.unit.rollback();
    return source;
  }
  const events = source[Symbol.asyncIterator]();
  try {
    await scope.unit.commit();
  } catch (error) {
    await events.return?.();
    throw error;
  }
  return deliveries(events, (event) => deliver(contexts, limits, connection, args, event));
}

type Delivery = ExecutionResult | 'dropped' | 'sessionEnded';

/** One event: the operation executed over it as the subscriber, afresh; committed (with its audit) if delivered. */
async function deliver(
  contexts: ContextFactory,
  limits: SubscriptionLimits,
  connection: LiveConnection,
  args: ExecutionArgs,
  event: unknown,
): Promise<Delivery> {
  const scope = await contexts.forSubscription(connection.authorization, connection.clientAddress);
  if (!scope) {
    connection.socket.close(SESSION_ENDED.code, SESSION_ENDED.reason);
    return 'sessionEnded';
  }
  try {
    const result = await execute({ ...args, rootValue: event, contextValue: scope });
    if (unseen(result)) {
      await scope.unit.rollback();
      return 'dropped';
    }
    await scope.unit.commit();
    for (const error of result.errors ?? []) {
      // Recorded before the answer is formatted, so the subscriber's error quotes the same correlation id.
      if (limits.formatError(error.toJSON(), error).extensions?.code === 'INTERNAL_SERVER_ERROR') {
        recordInternalError(error.originalError ?? error, scope.requestId, error.path);
      }
    }
    return result;
  } catch (error) {
    await scope.unit.rollback();
    recordInternalError(error, scope.requestId);
    return 'dropped';
  }
}

/** The event's subject is not one the subscriber sees (any more): as if there had been no event. */
function unseen(result: ExecutionResult): boolean {
  const data = result.data ? Object.values(result.data) : [null];
  return (
    data.every((value) => value === null) && !!result.errors?.some((e) => e.originalError instanceof NotFoundError)
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/**
 * The results to send, one per event delivered. An iterator by hand, not an async generator: a generator waiting
 * for the next event only returns once that event comes, so an unsubscribed listener would linger until then;
 * here `return` ends the source at once.
 */
function deliveries(
  source: AsyncIterator<unknown>,
  deliverEach: (event: unknown) => Promise<Delivery>,
): AsyncIterableIterator<ExecutionResult> {
  const done = { done: true, value: undefined } as const;
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      for (;;) {
        const event = await source.next();
        if (event.done) return done;
        const delivery = await deliverEach(event.value);
        if (delivery === 'dropped') continue;
        if (delivery === 'sessionEnded') {
          await source.return?.();
          return done;
        }
        return { done: false, value: delivery };
      }
    },
    async return() {
      await source.return?.();
      return done;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
