import { HttpException } from '@nestjs/common';
import type { GraphQLFormattedError } from 'graphql';

export const GRAPHQL_PATH = '/graphql';

/** Every answer from the GraphQL endpoint has GraphQL's shape, including those given before Apollo sees the request. */
export function refusal(message: string, code = 'BAD_REQUEST'): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * What Fastify refuses while reading a body, before any GraphQL handling: the status it chose (413, 415, 400)
 * and a message of our own, so the answer does not depend on Fastify's wording.
 */
const BODY_REFUSALS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than this service accepts',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'GraphQL requests are sent as application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request body does not match its Content-Length',
};

/** Nest's Fastify adapter hands such an error on wrapped in an HttpException, as its `cause`. */
export function bodyRefusal(error: unknown): { status: number; message: string } | undefined {
  const fastifyError = error instanceof HttpException ? error.cause : error;
  const { code, statusCode } = (fastifyError ?? {}) as { code?: unknown; statusCode?: unknown };
  const message = typeof code === 'string' ? BODY_REFUSALS[code] : undefined;
  if (!message || typeof statusCode !== 'number') return undefined;
  return { status: statusCode, message };
}
