import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Database } from '../database/database.service';

/**
 * Probes for the orchestrator. Live: the process answers (restart it if not). Ready: it can serve, which
 * needs the database (take it out of the load balancer if not). Neither says anything about the data.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly database: Database) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: 'ok' | 'unavailable' }> {
    if (await this.database.isReady()) return { status: 'ok' };
    reply.status(503);
    return { status: 'unavailable' };
  }
}
