import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** What one HTTP request carries through all the work done for it. */
export interface RequestScope {
  readonly requestId: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The request whose work is running now; undefined at start-up, shutdown and in background work. */
export function currentRequest(): RequestScope | undefined {
  return scopes.getStore();
}

/**
 * Runs the rest of each request (its hooks, Nest, Apollo, the resolvers and services and their database calls,
 * and the response hooks) inside a scope that carries its id, so a line logged anywhere in that work names the
 * request without every caller passing the id along.
 */
export function scopeRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => scopes.run({ requestId: String(request.id) }, done));
}
