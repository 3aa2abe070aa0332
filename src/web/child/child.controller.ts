import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { instantFrom, londonParts } from '../dates';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { choicesOf } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { PageNotFound } from '../page-errors';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { chosen, list, optional, Posted, text } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const CHILD_RECORD = operation(__dirname, 'child.graphql');
const CONCERN_FORM = operation(__dirname, 'concern-form.graphql');
const RECORD_CONCERN = operation(__dirname, 'record-concern.graphql');
const CORRECTION_FORM = operation(__dirname, 'correction-form.graphql');
const RISK_ASSESSMENT_FORM = operation(__dirname, 'risk-assessment-form.graphql');
const RECORD_RISK_ASSESSMENT = operation(__dirname, 'record-risk-assessment.graphql');

interface ChildName {
  id: string;
  givenName: string;
  familyName: string;
}

interface Indicator {
  code: string;
  label: string;
}

interface ConcernFormData {
  me: Me;
  child: ChildName | null;
  concernIndicators: Indicator[];
}

/** The entry a correction amends, as the correction form shows it. */
interface AmendedConcern {
  id: string;
  category: string;
  indicators: string[];
  narrative: string;
  occurredAt: string;
  recruitmentSetting: string;
  riskLevel: string;
  sensitivity: string;
  agency: { name: string };
  recordedBy: { displayName: string };
}

interface CorrectionFormData {
  me: Me;
  child:
    | (ChildName & {
        concerns: {
          edges: Array<{ node: AmendedConcern }>;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      })
    | null;
}

interface RiskAssessmentFormData {
  me: Me;
  child: ChildName | null;
}

const CONCERN_FIELDS: FormFields = {
  ids: { occurredAt: 'occurredAt-day' },
  messages: {
    category: 'Select what the concern is about',
    indicators: 'Select indicators from the list',
    recruitmentSetting: 'Select where the child was drawn in, or "Not known"',
    riskLevel: 'Select the level of risk',
    sensitivity: 'Select who may read this entry',
    narrative: 'Describe what happened',
    occurredAt: 'Enter when it happened as a real date and a time, for example 18 9 2026 and 15:20',
  },
};

const RISK_FIELDS: FormFields = {
  messages: {
    level: 'Select the level of risk',
    exploitationTypes: 'Select the types of exploitation from the list',
    rationale: 'Give the reasons for this assessment',
    sensitivity: 'Select who may read this assessment',
  },
};

/** *A child*: the record with its chronology, and the forms that add a concern or a risk assessment to it. */
@Controller('children/:id')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class ChildController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async child(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query('after') after?: string,
    @Query('recorded') recorded?: string,
  ): Promise<void> {
    const result = await this.graphql.execute<{
      me: Me;
      child: Record<string, any> | null;
      concernIndicators: Indicator[];
    }>(request, request.webSession!.token, CHILD_RECORD, { id, after: after || null });
    const data = dataOf(result, request.url);
    if (!data.child) throw new PageNotFound();
    await this.pages.render(request, reply, 'child/child.njk', {
      pageTitle: `${data.child.givenName} ${data.child.familyName}`,
      showsChild: true,
      me: data.me,
      child: data.child,
      olderEntries: data.child.concerns.pageInfo.hasNextPage ? data.child.concerns.pageInfo.endCursor : undefined,
      paged: Boolean(after),
      indicatorLabels: Object.fromEntries(data.concernIndicators.map((indicator) => [indicator.code, indicator.label])),
      recorded,
    });
  }

  @Get('concerns/new')
  async concernForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    await this.renderConcernForm(request, reply, id, { sensitivity: 'STANDARD' });
  }

  /** *Correct an entry*: a new concern amending one, the form filled in from it but for what happened. */
  @Get('concerns/:concernId/correct')
  async correctionForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('concernId') concernId: string,
  ): Promise<void> {
    const amends = await this.amendedConcern(request, id, concernId);
    const when = londonParts(amends.occurredAt);
    await this.renderConcernForm(request, reply, id, {
      amendsConcernId: amends.id,
      category: amends.category,
      indicators: amends.indicators,
      recruitmentSetting: amends.recruitmentSetting,
      riskLevel: amends.riskLevel,
      sensitivity: amends.sensitivity,
      'occurredAt-day': when.day,
      'occurredAt-month': when.month,
      'occurredAt-year': when.year,
      'occurredAt-hour': when.hour,
      'occurredAt-minute': when.minute,
    });
  }

  @Post('concerns')
  async recordConcern(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute<{ recordConcern: { id: string } }>(
      request,
      request.webSession!.token,
      RECORD_CONCERN,
      {
        input: {
          childId: id,
          amendsConcernId: optional(form.amendsConcernId),
          category: chosen(form.category),
          indicators: list(form.indicators),
          recruitmentSetting: chosen(form.recruitmentSetting),
          riskLevel: chosen(form.riskLevel),
          sensitivity: chosen(form.sensitivity),
          narrative: text(form.narrative),
          occurredAt: instantFrom({
            day: form['occurredAt-day'],
            month: form['occurredAt-month'],
            year: form['occurredAt-year'],
            hour: form['occurredAt-hour'],
            minute: form['occurredAt-minute'],
          }),
        },
      },
    );
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderConcernForm(request, reply, id, form, formErrors(problems, CONCERN_FIELDS));
      return;
    }
    const { recordConcern } = dataOf(result, `/children/${id}`);
    await reply.redirect(`/children/${encodeURIComponent(id)}?recorded=concern#concern-${recordConcern.id}`, 303);
  }

  @Get('risk-assessments/new')
  async riskAssessmentForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
  ): Promise<void> {
    await this.renderRiskAssessmentForm(request, reply, id, { sensitivity: 'STANDARD' });
  }

  @Post('risk-assessments')
  async recordRiskAssessment(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, RECORD_RISK_ASSESSMENT, {
      input: {
        childId: id,
        level: chosen(form.level),
        exploitationTypes: list(form.exploitationTypes),
        rationale: text(form.rationale),
        sensitivity: chosen(form.sensitivity),
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderRiskAssessmentForm(request, reply, id, form, formErrors(problems, RISK_FIELDS));
      return;
    }
    dataOf(result, `/children/${id}`);
    await reply.redirect(`/children/${encodeURIComponent(id)}?recorded=risk-assessment`, 303);
  }

  private async renderConcernForm(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<ConcernFormData>(request, request.webSession!.token, CONCERN_FORM, { id }),
      request.method === 'GET' ? request.url : `/children/${id}`,
    );
    if (!data.child) throw new PageNotFound();
    const amendsConcernId = text(form.amendsConcernId);
    const amends = amendsConcernId ? await this.amendedConcern(request, id, amendsConcernId) : undefined;
    const checked = new Set(list(form.indicators));
    await this.pages.render(
      request,
      reply,
      'child/record-concern.njk',
      {
        pageTitle: amends ? 'Correct an entry' : 'Record a concern',
        showsChild: true,
        me: data.me,
        child: data.child,
        amends,
        form,
        errors,
        choices: {
          category: choicesOf('category', text(form.category)),
          recruitmentSetting: choicesOf('recruitmentSetting', text(form.recruitmentSetting)),
          riskLevel: choicesOf('risk', text(form.riskLevel)),
          sensitivity: choicesOf('sensitivity', text(form.sensitivity)),
          indicators: data.concernIndicators.map((indicator) => ({
            value: indicator.code,
            text: indicator.label,
            checked: checked.has(indicator.code),
          })),
        },
      },
      errors ? 400 : 200,
    );
  }

  /** The concern a correction amends, looked for page by page in the chronology the person sees. */
  private async amendedConcern(request: FastifyRequest, id: string, concernId: string): Promise<AmendedConcern> {
    let after: string | null = null;
    for (;;) {
      const data: CorrectionFormData = dataOf(
        await this.graphql.execute<CorrectionFormData>(request, request.webSession!.token, CORRECTION_FORM, {
          id,
          after,
        }),
        `/children/${id}`,
      );
      const page = data.child?.concerns;
      const found = page?.edges.find((edge) => edge.node.id === concernId)?.node;
      if (found) return found;
      if (!page?.pageInfo.hasNextPage) throw new PageNotFound();
      after = page.pageInfo.endCursor;
    }
  }

  private async renderRiskAssessmentForm(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<RiskAssessmentFormData>(request, request.webSession!.token, RISK_ASSESSMENT_FORM, {
        id,
      }),
      request.method === 'GET' ? request.url : `/children/${id}`,
    );
    if (!data.child) throw new PageNotFound();
    await this.pages.render(
      request,
      reply,
      'child/record-risk-assessment.njk',
      {
        pageTitle: 'Record a risk assessment',
        showsChild: true,
        me: data.me,
        child: data.child,
        form,
        errors,
        choices: {
          level: choicesOf('risk', text(form.level)),
          exploitationTypes: choicesOf('category', list(form.exploitationTypes)),
          sensitivity: choicesOf('sensitivity', text(form.sensitivity)),
        },
      },
      errors ? 400 : 200,
    );
  }
}
