import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { AccessLogController } from './logging/access-log';
import { scopeRequests } from './logging/request-scope';

/** The Fastify adapter of the service, shared by main.ts and the test kit so tests run what production runs. */
export function createHttpAdapter(logger?: Logger, trustProxy?: string): FastifyAdapter {
  const adapter = new FastifyAdapter({
    ...(logger ? { loggerInstance: logger } : {}),
    // The client's address (sign-in throttling) as the trusted load balancers report it (config TRUST_PROXY).
    ...(trustProxy === undefined ? {} : { trustProxy }),
    // The request id is the correlation id quoted in internal-error answers, so it must be unique across
    // restarts and replicas, not Fastify's per-process counter.
    genReqId: () => randomUUID(),
    logController: new AccessLogController({ requestIdLogLabel: 'requestId' }),
  });
  scopeRequests(adapter.getInstance());
  return adapter;
}
