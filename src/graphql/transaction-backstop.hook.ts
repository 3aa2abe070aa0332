import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ContextFactory } from './context.factory';

/**
 * Every request's unit of work ends with the request, whatever path it took (see ContextFactory.endWith).
 * Fastify's onSend runs for every reply once its handler has finished, also one to a client that has already
 * hung up; onResponse does not run then, and onRequestAbort runs only for a body cut short, possibly while
 * resolvers are still at work. The rollback is awaited, so the connection is free before the answer leaves.
 */
@Injectable()
export class TransactionBackstopHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly contexts: ContextFactory,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', async (request) => {
      await this.contexts.endWith(request);
    });
  }
}
