import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormRefused, PageInternalError, PageNotFound, PageRefusal, SignInRequired } from './page-errors';
import { Pages } from './pages';
import { WebSessions } from './session/web-session';

const log = new Logger('Pages');

/**
 * What a page shows when it cannot show what was asked for: the sign-in page (and back), "Page not found" for a
 * page that does not exist and for one the person may not reach alike, the API's refusal in its own words, or,
 * for anything unexpected, "Sorry, there is a problem" with the request's id to quote.
 */
@Catch()
export class PageErrorFilter implements ExceptionFilter {
  constructor(
    private readonly pages: Pages,
    private readonly sessions: WebSessions,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return;
    if (exception instanceof SignInRequired) {
      const query = new URLSearchParams();
      if (exception.returnTo && exception.returnTo !== '/') query.set('returnTo', exception.returnTo);
      if (exception.reason) query.set('signedOut', exception.reason);
      // The cookie's session is over (or was never good): kept, it would send the person round in a circle.
      this.sessions.clear(reply);
      const search = query.toString();
      await reply.redirect(`/sign-in${search ? `?${search}` : ''}`, 303);
      return;
    }
    const render = (status: number, view: string, locals: Record<string, unknown>) =>
      this.pages.render(request, reply, view, locals, status);
    if (exception instanceof PageNotFound || (exception instanceof HttpException && exception.getStatus() === 404)) {
      await render(404, 'layout/not-found.njk', {});
      return;
    }
    if (exception instanceof FormRefused) {
      await render(403, 'layout/problem.njk', {
        pageTitle: 'This form could not be sent',
        message: 'Nothing was saved. Go back, reload the page and try again.',
      });
      return;
    }
    if (exception instanceof PageRefusal) {
      await render(exception.status, 'layout/problem.njk', {
        pageTitle: 'You cannot do this',
        message: exception.message,
      });
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      await render(exception.getStatus(), 'layout/problem.njk', {
        pageTitle: 'Sorry, there is a problem',
        message: exception.message,
      });
      return;
    }
    const requestId = String(request.id);
    const correlationId = (exception instanceof PageInternalError && exception.correlationId) || requestId;
    // An internal error of an operation was logged by the GraphQL layer with this id; anything else is logged here.
    if (!(exception instanceof PageInternalError)) log.error({ requestId, err: exception }, 'page failed');
    await render(500, 'layout/problem.njk', { pageTitle: 'Sorry, there is a problem with the service', correlationId });
  }
}
