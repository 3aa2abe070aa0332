import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { calendarDateFrom, todayInEngland } from '../dates';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { choicesOf } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { PageNotFound } from '../page-errors';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { chosen, dateParts, list, Posted, text } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const NRM_FORM = operation(__dirname, 'nrm-form.graphql');
const REFER = operation(__dirname, 'refer.graphql');
const RECORD_DECISION = operation(__dirname, 'record-decision.graphql');

interface Referral {
  id: string;
  referredOn: string;
  reasonableGrounds: string;
  conclusiveGrounds: string;
}

interface NrmFormData {
  me: Me;
  child: { id: string; givenName: string; familyName: string; nrmReferrals: Referral[] } | null;
}

const REFER_FIELDS: FormFields = {
  ids: { referredOn: 'referredOn-day' },
  messages: {
    exploitationTypes: 'Select the exploitation the referral is about',
    referredOn: 'Enter the day the referral was made as a real date, for example 18 9 2026',
  },
};

const DECISION_FIELDS: FormFields = {
  ids: { decidedOn: 'decidedOn-day' },
  messages: {
    stage: 'Select which decision it is',
    decision: 'Select the decision the Single Competent Authority made',
    decidedOn: 'Enter the day of the decision as a real date, for example 25 11 2026',
  },
};

/** Today as a date input's parts, the usual answer to "when" for a referral made or a decision received. */
function todayParts(prefix: string): Posted {
  const [year, month, day] = todayInEngland().split('-');
  return {
    [`${prefix}-day`]: String(Number(day)),
    [`${prefix}-month`]: String(Number(month)),
    [`${prefix}-year`]: year,
  };
}

/**
 * The National Referral Mechanism from a child's page (issue 13): a first responder refers the child, and records
 * the Single Competent Authority's Reasonable Grounds and then Conclusive Grounds decisions as they come back. The
 * referral history is on the child page.
 */
@Controller('children/:id/nrm')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class NrmController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get('new')
  async referForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    await this.renderReferForm(request, reply, id, todayParts('referredOn'));
  }

  @Post()
  async refer(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, REFER, {
      input: {
        childId: id,
        exploitationTypes: list(form.exploitationTypes),
        referredOn: calendarDateFrom(dateParts(form, 'referredOn')),
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderReferForm(request, reply, id, form, formErrors(problems, REFER_FIELDS));
      return;
    }
    dataOf(result, `/children/${id}`);
    await reply.redirect(`/children/${encodeURIComponent(id)}?recorded=nrm-referral#nrm`, 303);
  }

  @Get(':referralId/decision')
  async decisionForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('referralId') referralId: string,
  ): Promise<void> {
    await this.renderDecisionForm(request, reply, id, referralId, todayParts('decidedOn'));
  }

  @Post(':referralId/decision')
  async recordDecision(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('referralId') referralId: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, RECORD_DECISION, {
      input: {
        referralId,
        stage: chosen(form.stage),
        decision: chosen(form.decision),
        decidedOn: calendarDateFrom(dateParts(form, 'decidedOn')),
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderDecisionForm(request, reply, id, referralId, form, formErrors(problems, DECISION_FIELDS));
      return;
    }
    dataOf(result, `/children/${id}`);
    await reply.redirect(`/children/${encodeURIComponent(id)}?recorded=nrm-decision#nrm`, 303);
  }

  private async formData(request: FastifyRequest, id: string): Promise<NrmFormData> {
    const data = dataOf(
      await this.graphql.execute<NrmFormData>(request, request.webSession!.token, NRM_FORM, { id }),
      request.method === 'GET' ? request.url : `/children/${id}`,
    );
    if (!data.child) throw new PageNotFound();
    return data;
  }

  private async renderReferForm(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const data = await this.formData(request, id);
    await this.pages.render(
      request,
      reply,
      'nrm/refer.njk',
      {
        pageTitle: 'Refer to the National Referral Mechanism',
        showsChild: true,
        me: data.me,
        child: data.child,
        form,
        errors,
        choices: { exploitationTypes: choicesOf('category', list(form.exploitationTypes)) },
      },
      errors ? 400 : 200,
    );
  }

  private async renderDecisionForm(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    referralId: string,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const data = await this.formData(request, id);
    const referral = data.child!.nrmReferrals.find((candidate) => candidate.id === referralId);
    if (!referral) throw new PageNotFound();
    const stage =
      text(form.stage) || (referral.reasonableGrounds === 'PENDING' ? 'REASONABLE_GROUNDS' : 'CONCLUSIVE_GROUNDS');
    await this.pages.render(
      request,
      reply,
      'nrm/record-decision.njk',
      {
        pageTitle: 'Record an NRM decision',
        showsChild: true,
        me: data.me,
        child: data.child,
        referral,
        form,
        errors,
        choices: {
          stage: [
            { value: 'REASONABLE_GROUNDS', text: 'Reasonable Grounds', checked: stage === 'REASONABLE_GROUNDS' },
            { value: 'CONCLUSIVE_GROUNDS', text: 'Conclusive Grounds', checked: stage === 'CONCLUSIVE_GROUNDS' },
          ],
          decision: choicesOf('nrmDecision', text(form.decision)).filter((choice) => choice.value !== 'PENDING'),
        },
      },
      errors ? 400 : 200,
    );
  }
}
