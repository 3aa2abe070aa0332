import { Body, Controller, Get, Headers, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { choicesOf } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { localPath, Pages } from '../pages';
import { formErrors } from '../form-errors';
import { CsrfGuard } from './csrf.guard';
import { SignedInGuard } from './signed-in.guard';
import { WebSessions } from './web-session';

const SIGN_IN = operation(__dirname, 'sign-in.graphql');
const SIGN_OUT = operation(__dirname, 'sign-out.graphql');
const HEADER = operation(__dirname, 'header.graphql');

const NOTICES: Record<string, string> = {
  'timed-out': 'You were signed out because you had not used the service for a while. Sign in again to continue.',
  ended: 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You have signed out.',
};

interface SignInForm {
  email?: string;
  password?: string;
  agencyId?: string;
  returnTo?: string;
}

/** Signing in (for one agency membership), signing out, and staying signed in from the timeout warning. */
@Controller()
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard)
export class SessionController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly sessions: WebSessions,
    private readonly pages: Pages,
  ) {}

  @Get('sign-in')
  async signInPage(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('returnTo') returnTo?: string,
    @Query('signedOut') signedOut?: string,
  ): Promise<void> {
    const session = this.sessions.read(request);
    if (session && !session.idle) {
      await reply.redirect(localPath(returnTo) ?? '/', 303);
      return;
    }
    if (session) {
      // Idle too long: the session ends on the server, not only in this browser.
      await this.graphql.execute(request, session.token, SIGN_OUT);
      this.sessions.clear(reply);
      signedOut = 'timed-out';
    }
    await this.renderSignIn(request, reply, { returnTo: localPath(returnTo), notice: NOTICES[signedOut ?? ''] });
  }

  @Post('sign-in')
  async signIn(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() form: SignInForm): Promise<void> {
    const returnTo = localPath(form.returnTo);
    const result = await this.graphql.execute<{ login: { token: string } }>(request, undefined, SIGN_IN, {
      email: String(form.email ?? ''),
      password: String(form.password ?? ''),
      agencyId: form.agencyId || null,
    });
    if (result.data?.login) {
      this.sessions.write(reply, result.data.login.token);
      await reply.redirect(returnTo ?? '/', 303);
      return;
    }
    const problems = inputProblemsOf(result);
    const choices = problems?.find((problem) => problem.field === 'agencyId')?.choices;
    if (choices) {
      const errors = form.agencyId
        ? formErrors(problems!, { ids: { agencyId: 'agencyId' } })
        : formErrors([{ field: 'agencyId', message: 'Select the agency you are working for now' }]);
      await this.renderSignIn(request, reply, {
        returnTo,
        email: form.email,
        errors,
        agencies: choices.map((choice) => ({
          value: choice.value,
          text: choice.label,
          checked: choice.value === form.agencyId,
        })),
      });
      return;
    }
    const [error] = result.errors;
    const refused = ['UNAUTHENTICATED', 'RATE_LIMITED', 'BAD_USER_INPUT'].includes(String(error?.extensions?.code));
    if (!refused) dataOf(result);
    // One message for an unknown email and a wrong password alike, as the API gives it.
    await this.renderSignIn(
      request,
      reply,
      { returnTo, email: form.email, errors: formErrors([{ field: 'email', message: error.message }]) },
      error.extensions?.code === 'RATE_LIMITED' ? 429 : 200,
    );
  }

  @Post('sign-out')
  async signOut(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: { reason?: string },
  ): Promise<void> {
    const session = this.sessions.read(request);
    if (session) await this.graphql.execute(request, session.token, SIGN_OUT);
    this.sessions.clear(reply);
    await reply.redirect(`/sign-in?signedOut=${form.reason === 'timed-out' ? 'timed-out' : 'signed-out'}`, 303);
  }

  /** "Stay signed in": the session is still live on the server, and its idle time starts again. */
  @Post('session/extend')
  @UseGuards(SignedInGuard)
  async extend(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('accept') accept?: string,
  ): Promise<void> {
    dataOf(await this.graphql.execute(request, request.webSession!.token, HEADER));
    if (accept?.includes('application/json')) await reply.code(204).header('cache-control', 'no-store').send();
    else await reply.redirect('/', 303);
  }

  private renderSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    locals: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    return this.pages.render(
      request,
      reply,
      'session/sign-in.njk',
      { csrfToken: this.sessions.csrfBeforeSignIn(request, reply), choicesOf, ...locals },
      status,
    );
  }
}
