import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { choicesOf } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const AGENCIES = operation(__dirname, 'agencies.graphql');
const CREATE_AGENCY = operation(__dirname, 'create-agency.graphql');
const HEADER = operation(__dirname, '../session/header.graphql');

type Posted = Record<string, string | undefined>;

const text = (value: string | undefined) => value?.trim() ?? '';

const AGENCY_FIELDS: FormFields = {
  ids: { kind: 'kind', firstResponder: 'firstResponder' },
  messages: {
    name: 'Enter the agency’s name',
    kind: 'Select what kind of agency it is',
    firstResponder: 'Select whether it refers children to the NRM',
  },
};

/** Whether the agency refers to the NRM: left to its kind's default unless the admin says otherwise. */
function firstResponderOf(value: string | undefined): boolean | null {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  return null;
}

/** *Agencies*: every agency, and for the platform admin, creating one and then inviting its first admin. */
@Controller('agencies')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class AgenciesController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async agencies(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{ me: Me; agencies: Array<Record<string, unknown>> }>(
        request,
        request.webSession!.token,
        AGENCIES,
      ),
      request.url,
    );
    await this.pages.render(request, reply, 'agencies/agencies.njk', {
      pageTitle: 'Agencies',
      activeNav: 'agencies',
      me: data.me,
      agencies: data.agencies,
    });
  }

  @Get('new')
  async newAgency(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderForm(request, reply, {});
  }

  @Post()
  async create(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() form: Posted): Promise<void> {
    const result = await this.graphql.execute<{ createAgency: { id: string } }>(
      request,
      request.webSession!.token,
      CREATE_AGENCY,
      {
        input: {
          name: text(form.name),
          kind: text(form.kind) || null,
          localAuthority: text(form.localAuthority) || null,
          firstResponder: firstResponderOf(form.firstResponder),
        },
      },
    );
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.renderForm(request, reply, form, formErrors(problems, AGENCY_FIELDS));
      return;
    }
    const { createAgency } = dataOf(result, '/agencies');
    await reply.redirect(`/agencies/${encodeURIComponent(createAgency.id)}/people/invite?created=1`, 303);
  }

  private async renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const { me } = dataOf(
      await this.graphql.execute<{ me: Me }>(request, request.webSession!.token, HEADER),
      '/agencies/new',
    );
    await this.pages.render(
      request,
      reply,
      'agencies/new-agency.njk',
      {
        pageTitle: 'Create an agency',
        activeNav: 'agencies',
        me,
        form,
        errors,
        kinds: choicesOf('agencyKind', text(form.kind)),
      },
      errors ? 400 : 200,
    );
  }
}
