import type { FastifyRequest } from 'fastify';

/**
 * The link an admin hands to a person (an invitation, a password reset), on this service's own address. The
 * token is in the query: the service logs paths only, and the pages send no referrer, so it is written nowhere
 * but on the admin's screen.
 */
export function handOverLink(request: FastifyRequest, path: string, token: string): string {
  return `${request.protocol}://${request.host}${path}?${new URLSearchParams({ token }).toString()}`;
}
