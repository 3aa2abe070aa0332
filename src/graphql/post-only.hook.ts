import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { pathOf } from '../logging/logger';
import { GRAPHQL_PATH, refusal } from './http-refusals';

/**
 * GraphQL is served over POST only. A GET request carries its query and variables in the URL (a child's name
 * in a search, an identifier), and URLs end up in proxy logs, browser history and referrers: on a service that
 * holds safeguarding records that is a disclosure, so GET is refused outright, queries included.
 */
@Injectable()
export class PostOnlyHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' || pathOf(request.url) !== GRAPHQL_PATH) return;
      await reply.code(405).header('allow', 'POST').send(refusal('GraphQL is served over POST only'));
    });
  }
}
