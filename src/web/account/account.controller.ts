import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, InputProblem, inputProblemsOf, OperationResult, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';
import { WebSessions } from '../session/web-session';

const ACCEPT_INVITATION = operation(__dirname, 'accept-invitation.graphql');
const RESET_PASSWORD = operation(__dirname, 'reset-password.graphql');
const CHANGE_PASSWORD = operation(__dirname, 'change-password.graphql');
const HEADER = operation(__dirname, '../session/header.graphql');

type Posted = Record<string, string | undefined>;

const PASSWORD_FIELDS: FormFields = {
  messages: {
    password: 'Enter a password',
    currentPassword: 'Enter your current password',
    newPassword: 'Enter a new password',
  },
};

/** A link whose token the API refused (unknown, used, expired, replaced): the same page whichever it was. */
const tokenRefusal = (problems: readonly InputProblem[]) => problems.find((problem) => problem.field === 'token');

/**
 * The pages a person reaches from a link an admin handed them (accepting an invitation, resetting a forgotten
 * password), each signing them in once it works, and changing one's own password. The token travels in the
 * query string, which the service does not log, and in a hidden field of the form.
 */
@Controller()
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard)
export class AccountController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly sessions: WebSessions,
    private readonly pages: Pages,
  ) {}

  @Get('invitations/accept')
  async invitationForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('token') token?: string,
  ): Promise<void> {
    await this.renderSignedOut(request, reply, 'account/accept-invitation.njk', 'Accept your invitation', {
      token: token ?? '',
    });
  }

  @Post('invitations/accept')
  async acceptInvitation(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute<{ acceptInvitation: { token: string } }>(
      request,
      undefined,
      ACCEPT_INVITATION,
      { token: form.token ?? '', password: form.password ?? '' },
    );
    if (result.data?.acceptInvitation) {
      await this.signedIn(reply, result.data.acceptInvitation.token);
      return;
    }
    await this.refused(request, reply, result, 'account/accept-invitation.njk', 'Accept your invitation', form);
  }

  @Get('password-reset')
  async resetForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('token') token?: string,
  ): Promise<void> {
    await this.renderSignedOut(request, reply, 'account/reset-password.njk', 'Set a new password', {
      token: token ?? '',
    });
  }

  @Post('password-reset')
  async resetPassword(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() form: Posted): Promise<void> {
    const result = await this.graphql.execute<{ resetPassword: { token: string } }>(
      request,
      undefined,
      RESET_PASSWORD,
      { token: form.token ?? '', password: form.password ?? '', agencyId: form.agencyId || null },
    );
    if (result.data?.resetPassword) {
      await this.signedIn(reply, result.data.resetPassword.token);
      return;
    }
    await this.refused(request, reply, result, 'account/reset-password.njk', 'Set a new password', form);
  }

  @Get('account/password')
  @UseGuards(SignedInGuard)
  async changePasswordForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('changed') changed?: string,
  ): Promise<void> {
    await this.renderChangePassword(request, reply, { changed: changed !== undefined });
  }

  @Post('account/password')
  @UseGuards(SignedInGuard)
  async changePassword(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute<{ changePassword: { token: string } }>(
      request,
      request.webSession!.token,
      CHANGE_PASSWORD,
      { currentPassword: form.currentPassword ?? '', newPassword: form.newPassword ?? '' },
    );
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderChangePassword(request, reply, { errors: formErrors(problems, PASSWORD_FIELDS) }, 400);
      return;
    }
    const { changePassword } = dataOf(result, '/account/password');
    // Every session of the person ended, this one too: the page goes on with the new one.
    this.sessions.write(reply, changePassword.token);
    await reply.redirect('/account/password?changed=1', 303);
  }

  private async signedIn(reply: FastifyReply, token: string): Promise<void> {
    this.sessions.write(reply, token);
    await reply.redirect('/', 303);
  }

  /** A refused link, a password the policy refuses, or the agency to choose: the form again, saying which. */
  private async refused(
    request: FastifyRequest,
    reply: FastifyReply,
    result: OperationResult<unknown>,
    view: string,
    pageTitle: string,
    form: Posted,
  ): Promise<void> {
    const problems = inputProblemsOf(result);
    const [error] = result.errors;
    if (!problems) {
      if (error?.extensions?.code !== 'RATE_LIMITED') dataOf(result);
      await this.renderSignedOut(
        request,
        reply,
        view,
        pageTitle,
        {
          token: form.token,
          errors: formErrors([{ field: 'password', message: error.message }]),
        },
        429,
      );
      return;
    }
    const refusedToken = tokenRefusal(problems);
    if (refusedToken) {
      await this.renderSignedOut(
        request,
        reply,
        'account/link-refused.njk',
        'This link does not work',
        {
          message: refusedToken.message,
        },
        400,
      );
      return;
    }
    const choices = problems.find((problem) => problem.field === 'agencyId')?.choices;
    const errors = choices
      ? formErrors([{ field: 'agencyId', message: 'Select the agency you are working for now' }], {
          ids: { agencyId: 'agencyId' },
        })
      : formErrors(problems, PASSWORD_FIELDS);
    await this.renderSignedOut(
      request,
      reply,
      view,
      pageTitle,
      {
        token: form.token,
        errors,
        agencies: choices?.map((choice) => ({ value: choice.value, text: choice.label, checked: false })),
      },
      400,
    );
  }

  private renderSignedOut(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    pageTitle: string,
    locals: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    return this.pages.render(
      request,
      reply,
      view,
      { pageTitle, csrfToken: this.sessions.csrfBeforeSignIn(request, reply), ...locals },
      status,
    );
  }

  private async renderChangePassword(
    request: FastifyRequest,
    reply: FastifyReply,
    locals: { changed?: boolean; errors?: FormErrors },
    status = 200,
  ): Promise<void> {
    const { me } = dataOf(
      await this.graphql.execute<{ me: Me }>(request, request.webSession!.token, HEADER),
      '/account/password',
    );
    await this.pages.render(
      request,
      reply,
      'account/change-password.njk',
      { pageTitle: 'Change your password', me, ...locals },
      status,
    );
  }
}
