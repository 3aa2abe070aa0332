import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { TokenService } from '../auth/token.service';
import { pathOf } from '../logging/logger';
import { RateLimitedError } from '../common/errors';
import { toGraphQLError } from './errors';
import { RateLimiter } from './rate-limit';

/**
 * The root fields that search for or match children. Each one written in a request counts as a request of its
 * own, so aliases cannot multiply the searches a person makes a minute. Counting the names in the text is an
 * upper bound: Query and Mutation are reached only at the root, where two executions need two response keys,
 * each written out (a fragment spread twice adds none).
 */
const SEARCHES = /\b(?:children|possibleChildMatches|registerChild)\b/g;

function weightOf(body: unknown): number {
  const query = (body as { query?: unknown } | null | undefined)?.query;
  return typeof query === 'string' ? Math.max(1, query.match(SEARCHES)?.length ?? 0) : 1;
}

/**
 * RATE_LIMIT_PER_MINUTE on every GraphQL request, checked once the body is read and before Apollo sees it: a
 * refused request runs nothing and opens no transaction. The count is per person, whichever session or agency
 * they act in, so signing in again buys nothing; a request without a valid token counts against its client
 * address (TRUST_PROXY says which addresses to believe).
 */
@Injectable()
export class RateLimitHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly limiter: RateLimiter,
    private readonly tokens: TokenService,
  ) {}

  onModuleInit(): void {
    if (!this.limiter.enabled) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST' || pathOf(request.url) !== '/graphql') return;
      const refusal = await this.refusalOf(request.headers.authorization, request.ip, request.body);
      if (!refusal) return;
      await reply
        .code(429)
        .header('retry-after', String(refusal.retryAfterSeconds))
        .send({ errors: [toGraphQLError(refusal).toJSON()] });
    });
  }

  /**
   * Counts one GraphQL request (`body` as sent: its `query` is weighed) and refuses it past the limit. The pages
   * count each operation they run here too, so a person has one allowance whichever way they reach the data.
   */
  async refusalOf(
    authorization: string | undefined,
    clientAddress: string,
    body: unknown,
  ): Promise<RateLimitedError | undefined> {
    if (!this.limiter.enabled) return undefined;
    const key = await this.keyOf(authorization, clientAddress);
    const { allowed, retryAfterSeconds } = await this.limiter.hit(key, weightOf(body));
    if (allowed) return undefined;
    return new RateLimitedError(`Too many requests: try again in ${retryAfterSeconds} seconds`, retryAfterSeconds);
  }

  private async keyOf(authorization: string | undefined, clientAddress: string): Promise<string> {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const claims = token ? await this.tokens.claimsOf(token) : null;
    return claims ? `user:${claims.userId}` : `address:${clientAddress}`;
  }
}
