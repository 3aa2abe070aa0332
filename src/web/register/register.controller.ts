import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { calendarDateFrom } from '../dates';
import { formErrors, FormErrors, FormFields } from '../form-errors';
import { choicesOf, LABELS } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, InputProblem, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { chosen, optional, Posted, text } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const REGISTER_FORM = operation(__dirname, 'register-form.graphql');
const REGISTER_CHILD = operation(__dirname, 'register-child.graphql');
const POSSIBLE_MATCHES = operation(__dirname, 'possible-matches.graphql');
const REQUEST_INVOLVEMENT = operation(__dirname, 'request-involvement.graphql');

interface Match {
  childId: string;
  initials: string;
  birthYear: number | null;
  matchedOn: string[];
  involvedAgencies: Array<{ name: string }>;
}

/** The registration's own fields, carried through the possible matches to register a new record after all. */
const REGISTRATION_FIELDS = [
  'givenName',
  'familyName',
  'aliases',
  'dateOfBirth-day',
  'dateOfBirth-month',
  'dateOfBirth-year',
  'gender',
  'address',
  'basis',
  'reason',
];
const IDENTIFIER_FIELD = /^identifier-([A-Z_]+)$/;

const REGISTER_FIELDS: FormFields = {
  ids: { dateOfBirth: 'dateOfBirth-day', basis: 'basis' },
  messages: {
    givenName: 'Enter the child’s given name',
    familyName: 'Enter the child’s family name',
    basis: 'Select how your agency works with the child',
    dateOfBirth: 'Enter the date of birth as a real date, for example 9 5 2013',
  },
};

const REQUEST_FIELDS: FormFields = {
  ids: { childId: 'childId', basis: 'request-basis', reason: 'request-reason' },
  messages: {
    childId: 'Select the record that is this child',
    basis: 'Select how your agency works with the child',
    reason: 'Say why your agency needs to be involved',
  },
};

const matchedText = (code: string) =>
  code.startsWith('identifier:')
    ? (LABELS.identifierScheme[code.slice('identifier:'.length) as keyof typeof LABELS.identifierScheme] ?? code)
    : (LABELS.matchedOn[code] ?? code);

/**
 * *Register a child*: the form; the records the child may already have, shown before anything is created; asking
 * to be involved with the one that is the child; and the confirmation that the request went to its leads.
 */
@Controller('register')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class RegisterController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async form(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderForm(request, reply, {});
  }

  @Post()
  async register(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() form: Posted): Promise<void> {
    const identifiers = this.identifiersOf(form);
    const dateOfBirth = calendarDateFrom({
      day: form['dateOfBirth-day'],
      month: form['dateOfBirth-month'],
      year: form['dateOfBirth-year'],
    });
    if (dateOfBirth === null) {
      const problem = { field: 'dateOfBirth', message: REGISTER_FIELDS.messages!.dateOfBirth };
      await this.renderForm(request, reply, form, formErrors([problem], REGISTER_FIELDS));
      return;
    }
    const result = await this.graphql.execute<{
      registerChild: {
        child: { id: string } | null;
        involvementRequest: { id: string } | null;
        possibleMatches: Match[];
      };
    }>(request, request.webSession!.token, REGISTER_CHILD, {
      input: {
        givenName: text(form.givenName),
        familyName: text(form.familyName),
        aliases: text(form.aliases)
          .split(/\r?\n/)
          .map((alias) => alias.trim())
          .filter(Boolean),
        dateOfBirth: dateOfBirth ?? null,
        gender: optional(form.gender),
        address: optional(form.address),
        identifiers,
        basis: chosen(form.basis),
        reason: optional(form.reason),
        confirmedNewChild: text(form.confirmedNewChild) === 'yes',
      },
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      const named = problems.map((problem) => this.namedByScheme(problem, identifiers));
      await this.renderForm(request, reply, form, formErrors(named, REGISTER_FIELDS));
      return;
    }
    const { registerChild } = dataOf(result, '/register');
    if (registerChild.child) {
      await reply.redirect(`/children/${encodeURIComponent(registerChild.child.id)}?recorded=registered`, 303);
    } else if (registerChild.involvementRequest) {
      await reply.redirect(`/requests/${encodeURIComponent(registerChild.involvementRequest.id)}/sent`, 303);
    } else {
      const { me } = dataOf(
        await this.graphql.execute<{ me: Me }>(request, request.webSession!.token, REGISTER_FORM),
        '/register',
      );
      await this.renderMatches(request, reply, me, registerChild.possibleMatches, form);
    }
  }

  /** "This is the child": the agency asks to be involved with the record the person chose. */
  @Post('request-involvement')
  async requestInvolvement(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: Posted,
  ): Promise<void> {
    const childId = chosen(form.childId);
    const result = childId
      ? await this.graphql.execute<{ requestInvolvement: { id: string } }>(
          request,
          request.webSession!.token,
          REQUEST_INVOLVEMENT,
          { input: { childId, basis: chosen(form['request-basis']), reason: text(form['request-reason']) } },
        )
      : undefined;
    const problems = result
      ? inputProblemsOf(result)
      : [{ field: 'childId', message: REQUEST_FIELDS.messages!.childId }];
    if (problems) {
      const data = dataOf(
        await this.graphql.execute<{ me: Me; possibleChildMatches: Match[] }>(
          request,
          request.webSession!.token,
          POSSIBLE_MATCHES,
          {
            input: {
              givenName: text(form.givenName),
              familyName: text(form.familyName),
              dateOfBirth:
                calendarDateFrom({
                  day: form['dateOfBirth-day'],
                  month: form['dateOfBirth-month'],
                  year: form['dateOfBirth-year'],
                }) ?? null,
              identifiers: this.identifiersOf(form),
            },
          },
        ),
        '/register',
      );
      await this.renderMatches(
        request,
        reply,
        data.me,
        data.possibleChildMatches,
        form,
        formErrors(problems, REQUEST_FIELDS),
      );
      return;
    }
    const { requestInvolvement } = dataOf(result!, '/register');
    await reply.redirect(`/requests/${encodeURIComponent(requestInvolvement.id)}/sent`, 303);
  }

  private identifiersOf(form: Posted): Array<{ scheme: string; value: string }> {
    return Object.keys(form)
      .map((name) => [name.match(IDENTIFIER_FIELD)?.[1], text(form[name])] as const)
      .filter((entry): entry is readonly [string, string] => Boolean(entry[0] && entry[1]))
      .map(([scheme, value]) => ({ scheme, value }));
  }

  /** `input.identifiers[1].value` is the input of that identifier's scheme. */
  private namedByScheme(problem: InputProblem, identifiers: Array<{ scheme: string }>): InputProblem {
    const index = problem.field.match(/identifiers\[(\d+)\]/)?.[1];
    const scheme = index === undefined ? undefined : identifiers[Number(index)]?.scheme;
    return scheme ? { ...problem, field: `identifier-${scheme}` } : problem;
  }

  private async renderForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{ me: Me; identifierSchemesToRecord: string[] }>(
        request,
        request.webSession!.token,
        REGISTER_FORM,
      ),
      '/register',
    );
    await this.pages.render(
      request,
      reply,
      'register/register.njk',
      {
        pageTitle: 'Register a child',
        activeNav: 'register',
        me: data.me,
        form,
        errors,
        schemes: data.identifierSchemesToRecord,
        choices: { basis: choicesOf('involvementBasis', text(form.basis)) },
      },
      errors ? 400 : 200,
    );
  }

  private async renderMatches(
    request: FastifyRequest,
    reply: FastifyReply,
    me: Me,
    matches: Match[],
    form: Posted,
    errors?: FormErrors,
  ): Promise<void> {
    const carried = Object.keys(form)
      .filter((name) => REGISTRATION_FIELDS.includes(name) || IDENTIFIER_FIELD.test(name))
      .map((name) => ({ name, value: text(form[name]) }));
    const basis = text(form['request-basis']) || text(form.basis);
    await this.pages.render(
      request,
      reply,
      'register/matches.njk',
      {
        pageTitle: 'This child may already have a record',
        activeNav: 'register',
        me,
        errors,
        carried,
        reason: form['request-reason'] ?? form.reason,
        matches: matches.map((match) => ({
          ...match,
          matched: match.matchedOn.map(matchedText).join(', '),
          agencies: match.involvedAgencies.map((agency) => agency.name).join(', '),
          checked: match.childId === text(form.childId),
        })),
        choices: { basis: choicesOf('involvementBasis', basis) },
      },
      errors ? 400 : 200,
    );
  }
}
