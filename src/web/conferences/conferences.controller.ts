import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { calendarDateFrom, dateTimeText, instantFrom, todayInEngland } from '../dates';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { choicesOf, LABELS } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { PageNotFound } from '../page-errors';
import { dataOf, InputProblem, inputProblemsOf, OperationResult, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { chosen, dateParts, list, Posted, text } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const MY_CONFERENCES = operation(__dirname, 'my-conferences.graphql');
const RESPOND = operation(__dirname, 'respond.graphql');
const CONVENE_FORM = operation(__dirname, 'convene-form.graphql');
const DUE_BY = operation(__dirname, 'conference-due-by.graphql');
const CONVENE = operation(__dirname, 'convene.graphql');
const CONFERENCE = operation(__dirname, 'conference.graphql');
const SUBMIT_REPORT = operation(__dirname, 'submit-report.graphql');
const START = operation(__dirname, 'start.graphql');
const DECIDE = operation(__dirname, 'decide.graphql');
const UPDATE_ACTION = operation(__dirname, 'update-action.graphql');

/** How many plan action rows the decision form starts with; "Add another action" posts back for one more. */
const ACTION_ROWS = 3;
const MAX_ACTION_ROWS = 50;

interface ConferenceSummary {
  id: string;
  kind: string;
  status: string;
  scheduledFor: string;
  dueBy: string;
  scheduledAfterDue: boolean;
  child: { id: string; givenName: string; familyName: string };
}

interface ConveneFormData {
  me: Me & { user: { id: string }; agency: { id: string } | null };
  child: {
    id: string;
    givenName: string;
    familyName: string;
    conferences: Array<{ id: string; kind: string; status: string; scheduledFor: string }>;
  } | null;
  agencies: Array<{ id: string; name: string; active: boolean }>;
}

type ConferenceData = {
  me: Me & { user: { id: string }; agency: { id: string } | null };
  conference: Record<string, any> | null;
};

const CONVENE_FIELDS: FormFields = {
  ids: {
    strategyDiscussionOn: 'strategyDiscussionOn-day',
    scheduledFor: 'scheduledFor-day',
    invitedAgencyIds: 'invitedAgencyIds',
    precedingConferenceId: 'precedingConferenceId',
  },
  messages: {
    kind: 'Select the kind of conference',
    scheduledFor: 'Enter when it will be held as a real date and a time, for example 2 10 2026 and 10 00',
    strategyDiscussionOn: 'Enter the day of the strategy discussion as a real date, for example 18 9 2026',
    invitedAgencyIds: 'Select the agencies to invite',
  },
};

const REPORT_FIELDS: FormFields = {
  messages: { content: 'Write your agency’s report', sensitivity: 'Select who may read the report' },
};

const DECISION_MESSAGES: Record<string, string> = {
  recommendation: 'Select the conference’s recommendation',
  rationale: 'Give the reasons for the decision',
};

/** Conference tags: due, overdue and scheduled after its due date, as the chair and attendees scan a list. */
function tagsOf(conference: { status: string; dueBy: string; scheduledAfterDue: boolean }, today: string) {
  const open = conference.status === 'CONVENED' || conference.status === 'IN_SESSION';
  const tags: Array<{ text: string; classes: string }> = [];
  if (open && conference.dueBy < today) tags.push({ text: 'Overdue', classes: 'govuk-tag--red' });
  else if (open) tags.push({ text: 'Due', classes: 'govuk-tag--yellow' });
  if (open && conference.scheduledAfterDue) {
    tags.push({ text: 'Scheduled after its due date', classes: 'govuk-tag--orange' });
  }
  return tags;
}

/**
 * Where each of the decision's input paths is on the form: `input.actions[1].dueOn` is row 1's due date,
 * `input.dissents[0].note` the note of the first agency that dissented.
 */
function decisionProblems(problems: readonly InputProblem[], dissentAgencyIds: readonly string[]): InputProblem[] {
  return problems.map((problem) => {
    const action = problem.field.match(/^(\$?)input\.actions\[(\d+)\]\.(\w+)/);
    if (action) return { ...problem, field: `${action[1]}action-${action[2]}-${action[3]}` };
    const dissent = problem.field.match(/^(\$?)input\.dissents\[(\d+)\]/);
    if (dissent) return { ...problem, field: `${dissent[1]}dissent-${dissentAgencyIds[Number(dissent[2])] ?? ''}` };
    return problem;
  });
}

/**
 * Conferences (issue 13): *my conferences*, convening one from a child's page with its statutory due date shown
 * before it is saved, and *a conference*: invitations, reports in their tiers, attendance and quorum, the chair's
 * decision with its plan actions and dissents, the actions' status and the review that follows. Every form works
 * without JavaScript.
 */
@Controller()
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class ConferencesController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get('conferences')
  async myConferences(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('answered') answered?: string,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{
        me: Me;
        myConferences: ConferenceSummary[];
        conferenceInvitations: Array<{ id: string; conferenceId: string }>;
      }>(request, request.webSession!.token, MY_CONFERENCES),
      request.url,
    );
    const today = todayInEngland();
    await this.pages.render(request, reply, 'conferences/my-conferences.njk', {
      pageTitle: 'My conferences',
      activeNav: 'conferences',
      me: data.me,
      conferences: data.myConferences.map((conference) => ({ ...conference, tags: tagsOf(conference, today) })),
      invitations: data.conferenceInvitations,
      answered,
    });
  }

  @Post('conferences/invitations/:invitationId')
  async respond(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('invitationId') invitationId: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute<{ respondToInvitation: { conferenceId: string; response: string } }>(
      request,
      request.webSession!.token,
      RESPOND,
      { invitationId, response: text(form.response) === 'ACCEPTED' ? 'ACCEPTED' : 'DECLINED' },
    );
    const { respondToInvitation } = dataOf(result, '/conferences');
    if (respondToInvitation.response === 'ACCEPTED') {
      await reply.redirect(`/conferences/${encodeURIComponent(respondToInvitation.conferenceId)}?done=accepted`, 303);
      return;
    }
    await reply.redirect('/conferences?answered=declined', 303);
  }

  @Get('children/:childId/conferences/new')
  async conveneForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('childId') childId: string,
    @Query('kind') kind?: string,
    @Query('preceding') preceding?: string,
  ): Promise<void> {
    await this.renderConveneForm(request, reply, childId, { kind, precedingConferenceId: preceding });
  }

  /** "Change" on the check page: the form again, as it was filled in. */
  @Post('children/:childId/conferences/new')
  async changeConvening(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('childId') childId: string,
    @Body() form: Posted,
  ): Promise<void> {
    await this.renderConveneForm(request, reply, childId, form);
  }

  /** The check step: the due date the service computes for these details, before anything is convened. */
  @Post('children/:childId/conferences/check')
  async checkConvening(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('childId') childId: string,
    @Body() form: Posted,
  ): Promise<void> {
    const data = await this.conveneFormData(request, childId);
    const input = this.conveneInput(childId, data.me.user.id, form);
    const result = await this.graphql.execute<{ conferenceDueBy: string }>(request, request.webSession!.token, DUE_BY, {
      input,
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderConveneForm(request, reply, childId, form, formErrors(problems, CONVENE_FIELDS), data);
      return;
    }
    const { conferenceDueBy } = dataOf(result, `/children/${childId}`);
    const agencyNames = new Map(data.agencies.map((agency) => [agency.id, agency.name]));
    const preceding = data.child!.conferences.find((conference) => conference.id === input.precedingConferenceId);
    await this.pages.render(request, reply, 'conferences/convene-check.njk', {
      pageTitle: 'Check the conference before convening it',
      showsChild: true,
      me: data.me,
      child: data.child,
      form,
      input,
      dueBy: conferenceDueBy,
      scheduledAfterDue: input.scheduledFor !== null && input.scheduledFor.slice(0, 10) > conferenceDueBy,
      invited: input.invitedAgencyIds.map((id) => agencyNames.get(id) ?? id),
      preceding,
      hidden: Object.entries(form).flatMap(([name, value]) =>
        name === '_csrf' ? [] : list(value).map((one) => ({ name, value: one })),
      ),
    });
  }

  @Post('children/:childId/conferences')
  async convene(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('childId') childId: string,
    @Body() form: Posted,
  ): Promise<void> {
    const data = await this.conveneFormData(request, childId);
    const result = await this.graphql.execute<{ conveneConference: { id: string } }>(
      request,
      request.webSession!.token,
      CONVENE,
      { input: this.conveneInput(childId, data.me.user.id, form) },
    );
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderConveneForm(request, reply, childId, form, formErrors(problems, CONVENE_FIELDS), data);
      return;
    }
    const { conveneConference } = dataOf(result, `/children/${childId}`);
    await reply.redirect(`/conferences/${encodeURIComponent(conveneConference.id)}?done=convened`, 303);
  }

  @Get('conferences/:id')
  async conference(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.renderConference(request, reply, id, { done });
  }

  /** The conference pack: the conference page as it prints, for the meeting table. */
  @Get('conferences/:id/pack')
  async pack(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    const data = await this.conferenceData(request, id);
    await this.pages.render(request, reply, 'conferences/pack.njk', {
      pageTitle: `Conference pack: ${data.conference!.child.givenName} ${data.conference!.child.familyName}`,
      showsChild: true,
      me: data.me,
      conference: data.conference,
      printable: true,
    });
  }

  @Post('conferences/:id/report')
  async submitReport(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, SUBMIT_REPORT, {
      input: { conferenceId: id, content: text(form.content), sensitivity: chosen(form.sensitivity) },
    });
    // A tier the agency does not see is refused as FORBIDDEN: said beside the choice, so another can be made.
    const refusal = result.errors.find((error) => error.extensions?.code === 'FORBIDDEN');
    const problems =
      inputProblemsOf(result) ?? (refusal ? [{ message: refusal.message, field: 'input.sensitivity' }] : undefined);
    if (problems) {
      await this.renderConference(request, reply, id, {
        reportForm: form,
        reportErrors: formErrors(problems, REPORT_FIELDS),
      });
      return;
    }
    dataOf(result, `/conferences/${id}`);
    await reply.redirect(`/conferences/${encodeURIComponent(id)}?done=report#reports`, 303);
  }

  @Post('conferences/:id/start')
  async start(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const present = new Set(list(form.present));
    const result = await this.graphql.execute(request, request.webSession!.token, START, {
      id,
      version: Number(text(form.version)) || null,
      attendance: list(form.attendee).map((userId) => ({ userId, present: present.has(userId) })),
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderConference(request, reply, id, {
        attendanceErrors: formErrors(problems.map((problem) => ({ ...problem, field: 'present' }))),
      });
      return;
    }
    dataOf(result, `/conferences/${id}`);
    await reply.redirect(`/conferences/${encodeURIComponent(id)}?done=started#attendance`, 303);
  }

  @Post('conferences/:id/decision')
  async decide(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const rows = Math.min(Math.max(Number(text(form.actionRows)) || ACTION_ROWS, 1), MAX_ACTION_ROWS);
    if (text(form.more) === 'action') {
      await this.renderConference(request, reply, id, {
        decisionForm: form,
        actionRows: Math.min(rows + 1, MAX_ACTION_ROWS),
      });
      return;
    }
    const actions = Array.from({ length: rows }, (_, n) => ({
      description: text(form[`action-${n}-description`]),
      ownerAgencyId: chosen(form[`action-${n}-ownerAgencyId`]),
      dueOn: calendarDateFrom(dateParts(form, `action-${n}-dueOn`)),
      blank:
        !text(form[`action-${n}-description`]) &&
        !text(form[`action-${n}-dueOn-day`]) &&
        !text(form[`action-${n}-dueOn-month`]) &&
        !text(form[`action-${n}-dueOn-year`]),
      row: n,
    })).filter((action) => !action.blank);
    const dissents = Object.entries(form)
      .filter(([name, note]) => name.startsWith('dissent-') && text(note))
      .map(([name, note]) => ({ agencyId: name.slice('dissent-'.length), note: text(note) }));
    const result = await this.graphql.execute(request, request.webSession!.token, DECIDE, {
      input: {
        conferenceId: id,
        version: Number(text(form.version)) || 0,
        recommendation: chosen(form.recommendation),
        rationale: text(form.rationale),
        actions: actions.map(({ description, ownerAgencyId, dueOn }) => ({ description, ownerAgencyId, dueOn })),
        dissents,
        quorumOverrideReason: text(form.quorumOverrideReason) || null,
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      // The API counts the actions it was sent; the form's rows include the blank ones left out.
      const located = decisionProblems(
        problems,
        dissents.map((dissent) => dissent.agencyId),
      ).map((problem) => ({
        ...problem,
        field: problem.field.replace(/action-(\d+)-/, (_, n: string) => `action-${actions[Number(n)]?.row ?? n}-`),
      }));
      const ids: Record<string, string> = {};
      for (const problem of located) {
        const due = problem.field.match(/^\$?(action-\d+-dueOn)$/);
        if (due) ids[due[1]] = `${due[1]}-day`;
      }
      await this.renderConference(request, reply, id, {
        decisionForm: form,
        actionRows: rows,
        decisionErrors: formErrors(located, {
          ids,
          messages: {
            ...DECISION_MESSAGES,
            ...Object.fromEntries(
              actions.flatMap(({ row }) => [
                [`action-${row}-dueOn`, 'Enter when the action is due as a real date, for example 30 10 2026'],
                [`action-${row}-ownerAgencyId`, 'Select the agency that owns the action'],
              ]),
            ),
          },
        }),
      });
      return;
    }
    dataOf(result, `/conferences/${id}`);
    await reply.redirect(`/conferences/${encodeURIComponent(id)}?done=decided#decision`, 303);
  }

  @Post('conferences/:id/actions/:actionId')
  async updateAction(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Param('actionId') actionId: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute(request, request.webSession!.token, UPDATE_ACTION, {
      id: actionId,
      status: chosen(form.status),
      version: Number(text(form.version)) || null,
    });
    if (inputProblemsOf(result)) {
      await this.renderConference(request, reply, id, {
        actionErrors: {
          actionId,
          errors: formErrors([{ message: 'Select the action’s new status', field: 'status' }]),
        },
      });
      return;
    }
    dataOf(result, `/conferences/${id}`);
    await reply.redirect(`/conferences/${encodeURIComponent(id)}?done=action#actions`, 303);
  }

  private conveneInput(childId: string, chairId: string, form: Posted) {
    const kind = chosen(form.kind);
    return {
      childId,
      chairId,
      kind,
      invitedAgencyIds: list(form.invitedAgencyIds),
      scheduledFor: instantFrom({
        ...dateParts(form, 'scheduledFor'),
        hour: form['scheduledFor-hour'],
        minute: form['scheduledFor-minute'],
      }),
      strategyDiscussionOn:
        kind === 'INITIAL_CHILD_PROTECTION' ? calendarDateFrom(dateParts(form, 'strategyDiscussionOn')) : null,
      precedingConferenceId:
        kind === 'INITIAL_CHILD_PROTECTION' || kind === 'REVIEW_CHILD_PROTECTION'
          ? chosen(form.precedingConferenceId)
          : null,
    };
  }

  private async conveneFormData(request: FastifyRequest, childId: string): Promise<ConveneFormData> {
    const data = dataOf(
      await this.graphql.execute<ConveneFormData>(request, request.webSession!.token, CONVENE_FORM, { childId }),
      request.method === 'GET' ? request.url : `/children/${childId}`,
    );
    if (!data.child) throw new PageNotFound();
    return data;
  }

  private async renderConveneForm(
    request: FastifyRequest,
    reply: FastifyReply,
    childId: string,
    form: Posted,
    errors?: FormErrors,
    known?: ConveneFormData,
  ): Promise<void> {
    const data = known ?? (await this.conveneFormData(request, childId));
    const invited = new Set(list(form.invitedAgencyIds));
    const preceding = text(form.precedingConferenceId);
    await this.pages.render(
      request,
      reply,
      'conferences/convene.njk',
      {
        pageTitle: 'Convene a conference',
        showsChild: true,
        me: data.me,
        child: data.child,
        form,
        errors,
        choices: {
          kind: choicesOf('conferenceKind', text(form.kind)),
          agencies: data.agencies
            .filter((agency) => agency.active && agency.id !== data.me.agency?.id)
            .map((agency) => ({ value: agency.id, text: agency.name, checked: invited.has(agency.id) })),
          preceding: [
            { value: '', text: 'None', checked: !preceding },
            ...data
              .child!.conferences.filter((conference) => conference.status === 'DECIDED')
              .map((conference) => ({
                value: conference.id,
                text: `${LABELS.conferenceKind[conference.kind as keyof typeof LABELS.conferenceKind]}, held ${dateTimeText(conference.scheduledFor)}`,
                checked: preceding === conference.id,
              })),
          ],
        },
      },
      errors ? 400 : 200,
    );
  }

  private async conferenceData(request: FastifyRequest, id: string): Promise<ConferenceData> {
    const result: OperationResult<ConferenceData> = await this.graphql.execute<ConferenceData>(
      request,
      request.webSession!.token,
      CONFERENCE,
      { id },
    );
    const data = dataOf(result, request.method === 'GET' ? request.url : `/conferences/${id}`);
    if (!data.conference) throw new PageNotFound();
    return data;
  }

  private async renderConference(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    state: {
      done?: string;
      reportForm?: Posted;
      reportErrors?: FormErrors;
      attendanceErrors?: FormErrors;
      decisionForm?: Posted;
      decisionErrors?: FormErrors;
      actionRows?: number;
      actionErrors?: { actionId: string; errors: FormErrors };
    },
  ): Promise<void> {
    const { me, conference } = await this.conferenceData(request, id);
    const c = conference!;
    const isChair = c.chair.id === me.user.id;
    const myInvitation = c.invitations.find(
      (invitation: { agency: { id: string } }) => invitation.agency.id === me.agency?.id,
    );
    const reported = c.reports.some((report: { agency: { id: string } }) => report.agency.id === me.agency?.id);
    const open = c.status === 'CONVENED' || c.status === 'IN_SESSION';
    const attendees = [
      { id: c.chair.id, displayName: c.chair.displayName, agency: 'Chair' },
      ...c.invitations
        .filter((invitation: any) => invitation.response === 'ACCEPTED' && invitation.invitee)
        .map((invitation: any) => ({
          id: invitation.invitee.id,
          displayName: invitation.invitee.displayName,
          agency: invitation.agency.name,
        })),
    ];
    const presentAgencies = [
      ...new Map(
        c.attendance
          .filter((attendance: any) => attendance.present)
          .map((attendance: any) => [attendance.agency.id, attendance.agency]),
      ).values(),
    ];
    const owners = [
      ...new Map<string, string>([
        [me.agency?.id ?? '', me.agency?.name ?? ''],
        ...c.invitations.map((invitation: any): [string, string] => [invitation.agency.id, invitation.agency.name]),
      ]),
    ]
      .filter(([agencyId]) => agencyId)
      .map(([value, name]) => ({ value, text: name }));
    const decisionForm = state.decisionForm ?? {};
    const review = c.child.conferences.find((other: any) => other.precedingConferenceId === c.id);
    const errors = state.reportErrors ?? state.attendanceErrors ?? state.decisionErrors ?? state.actionErrors?.errors;
    await this.pages.render(
      request,
      reply,
      'conferences/conference.njk',
      {
        pageTitle: `${LABELS.conferenceKind[c.kind as keyof typeof LABELS.conferenceKind]}: ${c.child.givenName} ${c.child.familyName}`,
        activeNav: 'conferences',
        showsChild: true,
        me,
        conference: c,
        tags: tagsOf(c as ConferenceSummary, todayInEngland()),
        done: state.done,
        errors,
        isChair,
        mayReport: open && myInvitation?.response === 'ACCEPTED' && !reported,
        reportForm: state.reportForm ?? { sensitivity: 'STANDARD' },
        reportErrors: state.reportErrors,
        sensitivityChoices: choicesOf('sensitivity', text(state.reportForm?.sensitivity ?? 'STANDARD')),
        attendees,
        attendanceErrors: state.attendanceErrors,
        presentAgencies,
        decisionForm,
        decisionErrors: state.decisionErrors,
        recommendationChoices: choicesOf('recommendation', text(decisionForm.recommendation)),
        actionRows: Array.from({ length: state.actionRows ?? ACTION_ROWS }, (_, n) => ({
          n,
          owners: [
            { value: '', text: 'Select an agency', selected: !text(decisionForm[`action-${n}-ownerAgencyId`]) },
            ...owners.map((owner) => ({
              ...owner,
              selected: owner.value === text(decisionForm[`action-${n}-ownerAgencyId`]),
            })),
          ],
        })),
        actionRowCount: state.actionRows ?? ACTION_ROWS,
        actionErrors: state.actionErrors,
        review,
        preceding: c.child.conferences.find((other: any) => other.id === c.precedingConferenceId),
      },
      errors ? 400 : 200,
    );
  }
}
