import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { LABELS } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { PageNotFound } from '../page-errors';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';
import { handOverLink } from './hand-over';

const MY_AGENCY = operation(__dirname, 'my-agency.graphql');
const AGENCY_PEOPLE = operation(__dirname, 'people.graphql');
const INVITE_FORM = operation(__dirname, 'invite-form.graphql');
const INVITE = operation(__dirname, 'invite.graphql');
const SET_ROLES = operation(__dirname, 'set-roles.graphql');
const DEACTIVATE = operation(__dirname, 'deactivate.graphql');
const UNLOCK = operation(__dirname, 'unlock.graphql');
const RESET_PASSWORD = operation(__dirname, 'reset-password.graphql');
const ACCESS_LOG = operation(__dirname, 'access-log.graphql');
const HEADER = operation(__dirname, '../session/header.graphql');

const LOG_PAGE_SIZE = 25;

interface Agency {
  id: string;
  name: string;
  kind?: string;
  assignableRoles: string[];
}

interface Person {
  id: string;
  displayName: string;
  email: string;
  active: boolean;
  platformDeactivated: boolean;
  memberships: Array<{ active: boolean; roles: string[]; agency: { id: string } }>;
}

interface AgencyPeople {
  me: Me;
  agencies: Agency[];
  users: Person[];
}

type Posted = Record<string, string | string[] | undefined>;

const text = (value: Posted[string]) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
const list = (value: Posted[string]) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const INVITE_FIELDS: FormFields = {
  ids: { roles: 'roles' },
  messages: {
    displayName: 'Enter the person’s name',
    email: 'Enter the person’s email address',
    roles: 'Select the roles from the list',
  },
};

const ROLE_FIELDS: FormFields = { messages: { roles: 'Select the roles from the list' } };

/** What the person page says after each change. */
const DONE: Record<string, string> = {
  roles: 'Their roles have been changed. They apply from their next page.',
  unlocked: 'Their sign-in lockout has been lifted. They can sign in again now.',
};

/** The roles the acting person may give at the agency, as checkboxes: only those the API says it may give. */
function roleChoices(agency: Agency, checked: readonly string[]) {
  return agency.assignableRoles.map((role) => ({
    value: role,
    text: LABELS.role[role as keyof typeof LABELS.role] ?? role,
    checked: checked.includes(role),
  }));
}

/**
 * *People*: an agency's people for its admins (and for the platform admin, which invites each agency's first
 * admin), and what an admin does for one of them: invite, change roles, deactivate, unlock, reset a password, and
 * read their access log. Which actions succeed is the API's to say: a refusal comes back as its own page.
 */
@Controller()
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class PeopleController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  /** The people of the agency the person acts for. */
  @Get('people')
  async myAgencyPeople(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { me } = dataOf(
      await this.graphql.execute<{ me: { agency: { id: string } | null } }>(
        request,
        request.webSession!.token,
        MY_AGENCY,
      ),
      request.url,
    );
    if (!me.agency) throw new PageNotFound();
    await reply.redirect(`/agencies/${encodeURIComponent(me.agency.id)}/people`, 303);
  }

  @Get('agencies/:agencyId/people')
  async people(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Query('deactivated') deactivated?: string,
  ): Promise<void> {
    const { data, agency } = await this.agencyPeople(request, agencyId);
    await this.pages.render(request, reply, 'people/people.njk', {
      pageTitle: `People of ${agency.name}`,
      activeNav: 'people',
      me: data.me,
      agency,
      deactivated: data.users.find((person) => person.id === deactivated),
      people: data.users.map((person) => ({ ...person, here: membershipHere(person, agencyId) })),
    });
  }

  @Get('agencies/:agencyId/people/invite')
  async inviteForm(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Query('created') created?: string,
  ): Promise<void> {
    await this.renderInviteForm(request, reply, agencyId, {}, undefined, created !== undefined);
  }

  @Post('agencies/:agencyId/people/invite')
  async invite(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Body() form: Posted,
  ): Promise<void> {
    const result = await this.graphql.execute<{
      inviteUser: { email: string; roles: string[]; token: string; expiresAt: string; agency: Agency };
    }>(request, request.webSession!.token, INVITE, {
      input: { agencyId, displayName: text(form.displayName), email: text(form.email), roles: list(form.roles) },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderInviteForm(request, reply, agencyId, form, formErrors(problems, INVITE_FIELDS));
      return;
    }
    const { inviteUser } = dataOf(result, `/agencies/${agencyId}/people`);
    await this.pages.render(request, reply, 'people/invited.njk', {
      pageTitle: 'Invitation created',
      activeNav: 'people',
      me: await this.header(request),
      invitation: inviteUser,
      displayName: text(form.displayName),
      link: handOverLink(request, '/invitations/accept', inviteUser.token),
    });
  }

  @Get('agencies/:agencyId/people/:userId')
  async person(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Param('userId') userId: string,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.renderPerson(request, reply, agencyId, userId, { done: DONE[done ?? ''] });
  }

  @Post('agencies/:agencyId/people/:userId/roles')
  async setRoles(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Param('userId') userId: string,
    @Body() form: Posted,
  ): Promise<void> {
    const roles = list(form.roles);
    const result = await this.graphql.execute(request, request.webSession!.token, SET_ROLES, {
      userId,
      agencyId,
      roles,
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderPerson(request, reply, agencyId, userId, {
        errors: formErrors(problems, ROLE_FIELDS),
        roles,
      });
      return;
    }
    dataOf(result, personPath(agencyId, userId));
    await reply.redirect(`${personPath(agencyId, userId)}?done=roles`, 303);
  }

  @Post('agencies/:agencyId/people/:userId/unlock')
  async unlock(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    dataOf(await this.graphql.execute(request, request.webSession!.token, UNLOCK, { userId }));
    await reply.redirect(`${personPath(agencyId, userId)}?done=unlocked`, 303);
  }

  @Post('agencies/:agencyId/people/:userId/password-reset')
  async issuePasswordReset(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    const { issuePasswordReset } = dataOf(
      await this.graphql.execute<{
        issuePasswordReset: { token: string; expiresAt: string; user: { displayName: string; email: string } };
      }>(request, request.webSession!.token, RESET_PASSWORD, { userId }),
    );
    await this.pages.render(request, reply, 'people/password-reset-issued.njk', {
      pageTitle: 'Password reset link created',
      activeNav: 'people',
      me: await this.header(request),
      reset: issuePasswordReset,
      backHref: personPath(agencyId, userId),
      link: handOverLink(request, '/password-reset', issuePasswordReset.token),
    });
  }

  @Get('agencies/:agencyId/people/:userId/deactivate')
  async confirmDeactivation(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    const { data, agency, person } = await this.onePerson(request, agencyId, userId);
    await this.pages.render(request, reply, 'people/deactivate.njk', {
      pageTitle: `Deactivate ${person.displayName}`,
      activeNav: 'people',
      me: data.me,
      agency,
      person,
      platformAdmin: data.me.agency === null,
    });
  }

  @Post('agencies/:agencyId/people/:userId/deactivate')
  async deactivate(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    dataOf(await this.graphql.execute(request, request.webSession!.token, DEACTIVATE, { userId }));
    await reply.redirect(
      `/agencies/${encodeURIComponent(agencyId)}/people?deactivated=${encodeURIComponent(userId)}`,
      303,
    );
  }

  @Get('agencies/:agencyId/people/:userId/access-log')
  async accessLog(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('agencyId') agencyId: string,
    @Param('userId') userId: string,
    @Query('after') after?: string,
    @Query('trail') trail?: string,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{
        me: Me;
        users: Array<{ id: string; displayName: string }>;
        staffAccessLog: {
          edges: Array<{ node: Record<string, unknown> }>;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      }>(request, request.webSession!.token, ACCESS_LOG, {
        agencyId,
        userId,
        first: LOG_PAGE_SIZE,
        after: after || null,
      }),
      request.url,
    );
    const person = data.users.find((user) => user.id === userId);
    if (!person) throw new PageNotFound();
    // Keyset pages only go forward: the cursors of the pages before this one let "Previous" go back.
    const before = after && trail !== undefined ? trail.split('.') : [];
    const base = `${personPath(agencyId, userId)}/access-log`;
    const link = (cursor: string | undefined, cursors: string[]) =>
      cursor ? `${base}?${new URLSearchParams({ after: cursor, trail: cursors.join('.') }).toString()}` : base;
    const { pageInfo } = data.staffAccessLog;
    await this.pages.render(request, reply, 'people/access-log.njk', {
      pageTitle: `Access log of ${person.displayName}`,
      activeNav: 'people',
      me: data.me,
      person,
      backHref: personPath(agencyId, userId),
      events: data.staffAccessLog.edges.map((edge) => edge.node),
      pagination: {
        previous: after ? { href: link(before.at(-1) || undefined, before.slice(0, -1)) } : undefined,
        next:
          pageInfo.hasNextPage && pageInfo.endCursor
            ? { href: link(pageInfo.endCursor, [...before, after ?? '']) }
            : undefined,
      },
    });
  }

  private async renderInviteForm(
    request: FastifyRequest,
    reply: FastifyReply,
    agencyId: string,
    form: Posted,
    errors?: FormErrors,
    created = false,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{ me: Me; agencies: Agency[] }>(request, request.webSession!.token, INVITE_FORM),
      request.method === 'GET' ? request.url : `/agencies/${agencyId}/people/invite`,
    );
    const agency = data.agencies.find((candidate) => candidate.id === agencyId);
    if (!agency) throw new PageNotFound();
    await this.pages.render(
      request,
      reply,
      'people/invite.njk',
      {
        pageTitle: `Invite someone to ${agency.name}`,
        activeNav: 'people',
        me: data.me,
        agency,
        created,
        form,
        errors,
        roles: roleChoices(agency, list(form.roles)),
      },
      errors ? 400 : 200,
    );
  }

  private async renderPerson(
    request: FastifyRequest,
    reply: FastifyReply,
    agencyId: string,
    userId: string,
    locals: { done?: string; errors?: FormErrors; roles?: string[] },
  ): Promise<void> {
    const { data, agency, person } = await this.onePerson(request, agencyId, userId);
    const here = membershipHere(person, agencyId);
    await this.pages.render(
      request,
      reply,
      'people/person.njk',
      {
        pageTitle: person.displayName,
        activeNav: 'people',
        me: data.me,
        agency,
        person,
        here,
        done: locals.done,
        errors: locals.errors,
        roles: roleChoices(agency, locals.roles ?? here?.roles ?? []),
        path: personPath(agencyId, userId),
      },
      locals.errors ? 400 : 200,
    );
  }

  private async agencyPeople(request: FastifyRequest, agencyId: string) {
    const data = dataOf(
      await this.graphql.execute<AgencyPeople>(request, request.webSession!.token, AGENCY_PEOPLE, { agencyId }),
      request.method === 'GET' ? request.url : undefined,
    );
    const agency = data.agencies.find((candidate) => candidate.id === agencyId);
    if (!agency) throw new PageNotFound();
    return { data, agency };
  }

  private async onePerson(request: FastifyRequest, agencyId: string, userId: string) {
    const { data, agency } = await this.agencyPeople(request, agencyId);
    const person = data.users.find((user) => user.id === userId);
    if (!person) throw new PageNotFound();
    return { data, agency, person };
  }

  /** The header of a page that shows what a mutation answered, which carries no `me` of its own. */
  private async header(request: FastifyRequest): Promise<Me> {
    return dataOf(await this.graphql.execute<{ me: Me }>(request, request.webSession!.token, HEADER)).me;
  }
}

function personPath(agencyId: string, userId: string): string {
  return `/agencies/${encodeURIComponent(agencyId)}/people/${encodeURIComponent(userId)}`;
}

function membershipHere(person: Person, agencyId: string) {
  return person.memberships.find((membership) => membership.agency.id === agencyId);
}
