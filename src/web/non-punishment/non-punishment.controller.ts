import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { calendarDateFrom } from '../dates';
import { formErrors, FormErrors } from '../form-errors';
import { choicesOf } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { PageNotFound } from '../page-errors';
import { dataOf, InputProblem, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { dateParts, Posted, text, yesNo } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const EVIDENCE = operation(__dirname, 'assessment-evidence.graphql');
const RECORD = operation(__dirname, 'record-assessment.graphql');
const RECORDED = operation(__dirname, 'assessment-recorded.graphql');

/**
 * The question pages in the CPS order: the offence and its date, then the four stages (reason to believe the child
 * is a victim; duress; the section 45 defence, after whether the offence is in Schedule 4; the public interest),
 * then the outcome. Each names the form fields it asks and the API input fields it answers.
 */
const STEPS = [
  { step: 'offence', title: 'What offence is the child suspected of?', fields: ['offence'] },
  {
    step: 'offence-date',
    title: 'When was the offence committed?',
    fields: ['offenceDate-day', 'offenceDate-month', 'offenceDate-year'],
    inputs: ['offenceDate'],
  },
  {
    step: 'reason-to-believe',
    title: 'Is there reason to believe the child is a victim of trafficking or slavery?',
    fields: ['reasonToBelieveVictim', 'reasonToBelieveBasis'],
  },
  {
    step: 'duress',
    title: 'Is there clear evidence of a credible defence of duress?',
    fields: ['duressEvidence'],
  },
  {
    step: 'schedule-4',
    title: 'Is the offence listed in Schedule 4 to the Modern Slavery Act 2015?',
    fields: ['scheduleFourOffence'],
  },
  {
    step: 'section-45',
    title: 'Is there clear evidence of a section 45 defence?',
    fields: ['section45DefenceAvailable'],
  },
  {
    step: 'public-interest',
    title: 'Is it in the public interest to prosecute?',
    fields: ['publicInterestRationale'],
  },
  { step: 'outcome', title: 'What is the outcome?', fields: ['outcome', 'nrmReferralIntended'] },
] as const;

type Step = (typeof STEPS)[number];
const ANSWERS = STEPS.flatMap((step) => step.fields as readonly string[]);

/** What each page requires before the next, in the words GOV.UK's error messages use. */
const REQUIRED: Record<string, { field: string; message: string }> = {
  offence: { field: 'offence', message: 'Enter the offence the child is suspected of' },
  'offence-date': {
    field: 'offenceDate',
    message: 'Enter the date of the offence as a real date, for example 3 11 2026',
  },
  'reason-to-believe': {
    field: 'reasonToBelieveVictim',
    message: 'Select yes if there is reason to believe the child is a victim',
  },
  duress: { field: 'duressEvidence', message: 'Select yes if there is clear evidence of duress' },
  'schedule-4': { field: 'scheduleFourOffence', message: 'Select yes if the offence is listed in Schedule 4' },
  'section-45': {
    field: 'section45DefenceAvailable',
    message: 'Select yes if there is clear evidence of a section 45 defence',
  },
  outcome: { field: 'outcome', message: 'Select the outcome' },
};

const IDS: Record<string, string> = { offenceDate: 'offenceDate-day' };

/** The step an input path of the API's refusal is about: `input.reasonToBelieveVictim` is stage 1's page. */
function stepOf(field: string): Step {
  const key = field.replace(/^\$?input\./, '').replace(/[[.].*$/, '');
  return (
    STEPS.find((step) => (('inputs' in step ? step.inputs : step.fields) as readonly string[]).includes(key)) ??
    STEPS[STEPS.length - 1]
  );
}

interface Evidence {
  me: Me;
  child: {
    id: string;
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    flags: string[];
    nrmReferrals: Array<Record<string, any>>;
    conferences: Array<{
      id: string;
      kind: string;
      status: string;
      decision: { recommendation: string; decidedAt: string } | null;
    }>;
  } | null;
}

/** Whole years from a date of birth to a day, both YYYY-MM-DD. */
function ageOn(dateOfBirth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return day.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/**
 * The prosecutor's non-punishment assessment (issue 13) as GOV.UK question pages, one question a page, in the CPS
 * order, then "check your answers" and a confirmation. The answers so far travel in the form itself, as hidden
 * fields each page carries forward, so nothing of the reasoning is stored anywhere until it is recorded, and no
 * JavaScript is needed. Each page shows what the record holds for its step. What the service refuses comes back
 * as an error summary on the page of the step it is about. Other agencies see only the outcome, on the child page.
 */
@Controller('children/:id/non-punishment')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class NonPunishmentController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get('new')
  async start(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    await this.renderStep(request, reply, id, STEPS[0], {});
  }

  @Post()
  async answer(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const go = text(form.go);
    const index = STEPS.findIndex((step) => step.step === text(form.step));
    const current = STEPS[index];
    const change = go.match(/^change-(.+)$/);
    if (change) {
      const step = STEPS.find((candidate) => candidate.step === change[1]);
      if (!step) throw new PageNotFound();
      await this.renderStep(request, reply, id, step, { ...form, returnToCheck: 'yes' });
      return;
    }
    if (go === 'back' && index > 0) {
      await this.renderStep(request, reply, id, STEPS[index - 1], form);
      return;
    }
    if (go === 'submit') {
      await this.record(request, reply, id, form);
      return;
    }
    if (!current) throw new PageNotFound();
    const missing = this.missing(current, form);
    if (missing) {
      await this.renderStep(request, reply, id, current, form, formErrors([missing], { ids: IDS }));
      return;
    }
    if (text(form.returnToCheck) === 'yes' || index === STEPS.length - 1) {
      await this.renderCheck(request, reply, id, form);
      return;
    }
    await this.renderStep(request, reply, id, STEPS[index + 1], form);
  }

  @Get('recorded')
  async recorded(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{
        me: Me;
        child: {
          id: string;
          givenName: string;
          familyName: string;
          nonPunishmentAssessments: Array<{ outcome: string }>;
        } | null;
      }>(request, request.webSession!.token, RECORDED, { id }),
      request.url,
    );
    const latest = data.child?.nonPunishmentAssessments.at(-1);
    if (!data.child || !latest) throw new PageNotFound();
    await this.pages.render(request, reply, 'non-punishment/recorded.njk', {
      pageTitle: 'Assessment recorded',
      showsChild: true,
      me: data.me,
      child: data.child,
      assessment: latest,
    });
  }

  private async record(request: FastifyRequest, reply: FastifyReply, id: string, form: Posted): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, RECORD, {
      input: {
        childId: id,
        offence: text(form.offence),
        offenceDate: calendarDateFrom(dateParts(form, 'offenceDate')),
        scheduleFourOffence: yesNo(form.scheduleFourOffence),
        reasonToBelieveVictim: yesNo(form.reasonToBelieveVictim),
        reasonToBelieveBasis: text(form.reasonToBelieveBasis),
        duressEvidence: yesNo(form.duressEvidence),
        section45DefenceAvailable: yesNo(form.section45DefenceAvailable),
        publicInterestRationale: text(form.publicInterestRationale),
        outcome: text(form.outcome) || null,
        nrmReferralIntended: text(form.nrmReferralIntended) === 'yes',
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      // The first refusal's step, with every refusal about that step.
      const step = stepOf(problems[0].field);
      const mine = problems.filter((problem) => stepOf(problem.field) === step);
      await this.renderStep(
        request,
        reply,
        id,
        step,
        { ...form, returnToCheck: 'yes' },
        formErrors(mine, {
          ids: IDS,
          messages: Object.fromEntries(Object.values(REQUIRED).map((required) => [required.field, required.message])),
        }),
      );
      return;
    }
    dataOf(result, `/children/${id}`);
    await reply.redirect(`/children/${encodeURIComponent(id)}/non-punishment/recorded`, 303);
  }

  /** The page's own check that its question was answered, before the next; the service checks the rest. */
  private missing(step: Step, form: Posted): InputProblem | undefined {
    const required = REQUIRED[step.step];
    if (!required) return undefined;
    const answered =
      step.step === 'offence-date' ? calendarDateFrom(dateParts(form, 'offenceDate')) : text(form[required.field]);
    return answered ? undefined : { message: required.message, field: required.field };
  }

  private async evidence(request: FastifyRequest, id: string): Promise<Evidence> {
    const data = dataOf(
      await this.graphql.execute<Evidence>(request, request.webSession!.token, EVIDENCE, { id }),
      request.method === 'GET' ? request.url : `/children/${id}`,
    );
    if (!data.child) throw new PageNotFound();
    return data;
  }

  private async renderStep(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    step: Step,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const data = await this.evidence(request, id);
    const child = data.child!;
    const own = new Set<string>(step.fields);
    const offenceDate = calendarDateFrom(dateParts(form, 'offenceDate'));
    const decided = child.conferences
      .filter((conference) => conference.decision)
      .sort((a, b) => a.decision!.decidedAt.localeCompare(b.decision!.decidedAt));
    const age = child.dateOfBirth && offenceDate ? ageOn(child.dateOfBirth, offenceDate) : null;
    await this.pages.render(
      request,
      reply,
      'non-punishment/step.njk',
      {
        pageTitle: step.title,
        showsChild: true,
        me: data.me,
        child,
        step: step.step,
        title: step.title,
        first: step === STEPS[0],
        form,
        errors,
        hidden: [...ANSWERS, 'returnToCheck']
          .filter((name) => !own.has(name) && text(form[name]))
          .map((name) => ({ name, value: text(form[name]) })),
        evidence: {
          referrals: child.nrmReferrals,
          latestConference: decided.at(-1),
          offenceDate,
          age,
          limb: age === null ? null : age < 18 ? 'CHILD' : 'ADULT',
        },
        choices: {
          outcome: choicesOf('prosecutionOutcome', text(form.outcome)),
        },
      },
      errors ? 400 : 200,
    );
  }

  private async renderCheck(request: FastifyRequest, reply: FastifyReply, id: string, form: Posted): Promise<void> {
    const data = await this.evidence(request, id);
    await this.pages.render(request, reply, 'non-punishment/check.njk', {
      pageTitle: 'Check your answers before recording the assessment',
      showsChild: true,
      me: data.me,
      child: data.child,
      form,
      offenceDate: calendarDateFrom(dateParts(form, 'offenceDate')),
      hidden: ANSWERS.filter((name) => text(form[name])).map((name) => ({ name, value: text(form[name]) })),
      steps: STEPS,
    });
  }
}
