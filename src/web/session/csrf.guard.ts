import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { FormRefused } from '../page-errors';
import { CSRF_FIELD, WebSessions } from './web-session';

/**
 * Every form a page sends back carries the CSRF token its page was given; a POST without it, or with another
 * session's, is refused before its handler runs, so it changes nothing. Pages change data by POST only.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly sessions: WebSessions) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method === 'GET' || request.method === 'HEAD') return true;
    const body = request.body as Record<string, unknown> | undefined;
    if (!this.sessions.csrfHolds(request, body?.[CSRF_FIELD])) throw new FormRefused();
    return true;
  }
}
