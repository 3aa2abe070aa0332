import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { Metrics } from './metrics.service';

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Prometheus scrapes GET /metrics on the service's own port. The figures name no record or person, but they
 * describe the service's load and clients' operation names, so only a scraper on the same host (loopback,
 * not forwarded by a proxy there) or one holding METRICS_TOKEN as its bearer token may read them.
 */
@Controller()
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.token = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  @Get('metrics')
  async scrape(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    if (!this.mayRead(request)) {
      reply.status(403);
      return { status: 'forbidden' };
    }
    reply.header('content-type', this.metrics.registry.contentType);
    return this.metrics.text();
  }

  private mayRead(request: FastifyRequest): boolean {
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    if (this.token && bearer) return timingSafeEqual(digest(bearer), this.token);
    // A proxy on the same host connects from loopback for its clients: what it forwarded is not local.
    const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
    return !forwarded && LOOPBACK.test(request.socket.remoteAddress ?? '');
  }
}
