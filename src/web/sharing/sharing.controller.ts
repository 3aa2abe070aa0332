import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { instantFrom } from '../dates';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { choicesOf } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { PageNotFound } from '../page-errors';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { chosen, list, Posted, text } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const SHARING = operation(__dirname, 'sharing.graphql');
const GRANT_ACCESS = operation(__dirname, 'grant-access.graphql');
const REVOKE_ACCESS = operation(__dirname, 'revoke-access.graphql');
const REFUSE_ACCESS = operation(__dirname, 'refuse-access.graphql');
const BREAK_GLASS_WARNING = operation(__dirname, 'break-glass-warning.graphql');
const BREAK_GLASS = operation(__dirname, 'break-glass.graphql');
const AUDIT_TRAIL = operation(__dirname, 'audit-trail.graphql');

type MeWithAgency = Me & { agency: { id: string; name: string } | null };

interface SharingData {
  me: MeWithAgency;
  child: { id: string; givenName: string; familyName: string; mayShare: boolean } | null;
  accessGrants: Array<Record<string, unknown>>;
  accessRefusals: Array<Record<string, unknown>>;
  agencies: Array<{ id: string; name: string; active: boolean }>;
}

const GRANT_FIELDS: FormFields = {
  ids: { expiresAt: 'expiresAt-day', tiers: 'tiers', lawfulBasis: 'lawfulBasis' },
  messages: {
    granteeAgencyId: 'Select the agency to share the record with',
    tiers: 'Select what to share',
    lawfulBasis: 'Select the lawful basis for sharing',
    purpose: 'Say what the record is shared for',
    expiresAt: 'Enter the last day of sharing as a real date, for example 31 12 2026',
  },
};

const REFUSAL_FIELDS: FormFields = {
  messages: {
    'refusal-requestingAgencyId': 'Select the agency that asked',
    'refusal-reason': 'Say why the record is not shared',
  },
};

const DONE: Record<string, string> = {
  granted: 'The record is shared. The agency sees it from its next page.',
  revoked: 'Sharing has ended. The agency no longer sees the record.',
  refused: 'Your decision not to share was recorded.',
};

/** The last minute of a calendar day in London: a grant "until 31 December" lasts all that day. */
const endOfDay = (form: Posted, prefix: string) =>
  instantFrom({
    day: form[`${prefix}-day`],
    month: form[`${prefix}-month`],
    year: form[`${prefix}-year`],
    hour: '23',
    minute: '59',
  });

/**
 * *Sharing* a child's record (for those the API lets share it): grants with revoke, a decision not to share with
 * its reason; *break glass*, behind its warning; and the record's *audit trail* for those who may read it.
 */
@Controller('children/:id')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class SharingController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get('sharing')
  async sharing(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.renderSharing(request, reply, id, {}, undefined, DONE[done ?? '']);
  }

  @Post('sharing/grants')
  async grant(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, GRANT_ACCESS, {
      input: {
        childId: id,
        granteeAgencyId: chosen(form.granteeAgencyId),
        tiers: list(form.tiers),
        lawfulBasis: chosen(form.lawfulBasis),
        purpose: text(form.purpose),
        expiresAt: endOfDay(form, 'expiresAt'),
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderSharing(request, reply, id, form, formErrors(problems, GRANT_FIELDS));
      return;
    }
    dataOf(result, `/children/${id}/sharing`);
    await reply.redirect(`/children/${encodeURIComponent(id)}/sharing?done=granted`, 303);
  }

  @Post('sharing/grants/:grantId/revoke')
  async revoke(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('grantId') grantId: string,
  ): Promise<void> {
    dataOf(
      await this.graphql.execute(request, request.webSession!.token, REVOKE_ACCESS, { grantId }),
      `/children/${id}/sharing`,
    );
    await reply.redirect(`/children/${encodeURIComponent(id)}/sharing?done=revoked`, 303);
  }

  @Post('sharing/refusals')
  async refuse(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, REFUSE_ACCESS, {
      input: {
        childId: id,
        requestingAgencyId: chosen(form['refusal-requestingAgencyId']),
        reason: text(form['refusal-reason']),
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      // The refusal's fields are named apart from the grant form's on the same page.
      const named = problems.map((problem) => ({
        ...problem,
        field: problem.field.replace(/^(\$?)(input\.)?/, '$1refusal-'),
      }));
      await this.renderSharing(request, reply, id, form, formErrors(named, REFUSAL_FIELDS));
      return;
    }
    dataOf(result, `/children/${id}/sharing`);
    await reply.redirect(`/children/${encodeURIComponent(id)}/sharing?done=refused`, 303);
  }

  /** The warning before emergency access: nothing of the child shows, as the person does not reach it yet. */
  @Get('break-glass')
  async breakGlassWarning(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    await this.renderBreakGlass(request, reply, id, {});
  }

  @Post('break-glass')
  async breakGlass(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, BREAK_GLASS, {
      childId: id,
      reason: text(form.reason),
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderBreakGlass(
        request,
        reply,
        id,
        form,
        formErrors(problems, { messages: { reason: 'Say why the child cannot wait for the record to be shared' } }),
      );
      return;
    }
    dataOf(result, `/children/${id}/break-glass`);
    await reply.redirect(`/children/${encodeURIComponent(id)}?recorded=break-glass`, 303);
  }

  @Get('audit-trail')
  async auditTrail(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query('after') after?: string,
  ): Promise<void> {
    const result = await this.graphql.execute<{
      me: Me;
      child: { id: string; givenName: string; familyName: string } | null;
      auditTrail: {
        edges: Array<{ node: Record<string, unknown> }>;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    }>(request, request.webSession!.token, AUDIT_TRAIL, { id, after: after || null });
    // A route that does not open the trail is answered as if there were no trail to see.
    if (result.errors.some((error) => error.extensions?.code === 'FORBIDDEN')) throw new PageNotFound();
    const data = dataOf(result, request.url);
    if (!data.child) throw new PageNotFound();
    const { pageInfo } = data.auditTrail;
    await this.pages.render(request, reply, 'sharing/audit-trail.njk', {
      pageTitle: `Audit trail: ${data.child.givenName} ${data.child.familyName}`,
      showsChild: true,
      me: data.me,
      child: data.child,
      events: data.auditTrail.edges.map((edge) => edge.node),
      paged: Boolean(after),
      next: pageInfo.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : undefined,
    });
  }

  private async renderSharing(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: Posted,
    errors?: FormErrors,
    done?: string,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<SharingData>(request, request.webSession!.token, SHARING, { id }),
      request.method === 'GET' ? request.url : `/children/${id}/sharing`,
    );
    if (!data.child?.mayShare) throw new PageNotFound();
    const others = data.agencies.filter((agency) => agency.active && agency.id !== data.me.agency?.id);
    const agencyItems = (selected: string) => [
      { value: '', text: 'Select an agency' },
      ...others.map((agency) => ({ value: agency.id, text: agency.name, selected: agency.id === selected })),
    ];
    await this.pages.render(
      request,
      reply,
      'sharing/sharing.njk',
      {
        pageTitle: `Sharing: ${data.child.givenName} ${data.child.familyName}`,
        showsChild: true,
        me: data.me,
        child: data.child,
        grants: data.accessGrants,
        refusals: data.accessRefusals,
        form,
        errors,
        done,
        choices: {
          granteeAgencyId: agencyItems(text(form.granteeAgencyId)),
          refusalAgencyId: agencyItems(text(form['refusal-requestingAgencyId'])),
          tiers: choicesOf('sensitivity', list(form.tiers)),
          lawfulBasis: choicesOf('lawfulBasis', text(form.lawfulBasis)),
        },
      },
      errors ? 400 : 200,
    );
  }

  private async renderBreakGlass(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const { me } = dataOf(
      await this.graphql.execute<{ me: Me }>(request, request.webSession!.token, BREAK_GLASS_WARNING),
      `/children/${id}/break-glass`,
    );
    await this.pages.render(
      request,
      reply,
      'sharing/break-glass.njk',
      { pageTitle: 'Emergency access to a child’s record', me, childId: id, form, errors },
      errors ? 400 : 200,
    );
  }
}
