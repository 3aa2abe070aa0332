import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { operation } from '../operation';
import { SignInRequired } from '../page-errors';
import { PageGraphql } from '../page-graphql';
import { WebSessions } from './web-session';

const SIGN_OUT = operation(__dirname, 'sign-out.graphql');

/**
 * A signed-in page needs a session cookie that holds, used within the idle timeout. One idle too long is ended
 * on the server (`logout`), not only forgotten by the browser, and the person signs in again and comes back.
 * Whether the session itself still lives is the API's to say, on the page's first operation.
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(
    private readonly sessions: WebSessions,
    private readonly graphql: PageGraphql,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const returnTo = request.method === 'GET' ? request.url : undefined;
    const session = this.sessions.read(request);
    if (!session) throw new SignInRequired(returnTo);
    if (session.idle) {
      await this.graphql.execute(request, session.token, SIGN_OUT);
      this.sessions.clear(reply);
      throw new SignInRequired(returnTo, 'timed-out');
    }
    this.sessions.write(reply, session.token);
    request.webSession = { token: session.token, csrfToken: this.sessions.csrfForSession(session.token) };
    return true;
  }
}
