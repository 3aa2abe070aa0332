import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, FormErrors } from '../form-errors';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { PageNotFound } from '../page-errors';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { Posted, text } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const REQUESTS = operation(__dirname, 'requests.graphql');
const DECIDE = operation(__dirname, 'decide-request.graphql');
const WITHDRAW = operation(__dirname, 'withdraw-request.graphql');

interface InvolvementRequest {
  id: string;
  status: string;
  requestingAgency: { id: string; name: string };
  match: { initials: string; birthYear: number | null; involvedAgencies: Array<{ name: string }> };
  child: { id: string } | null;
}

interface RequestsData {
  me: Me & { agency: { id: string; name: string } | null };
  involvementRequests: InvolvementRequest[];
}

const DONE: Record<string, string> = {
  accepted: 'The request was accepted: the agency is now involved with the child.',
  declined: 'The request was declined. The agency that asked has been told why.',
  withdrawn: 'Your request was withdrawn.',
};

/**
 * *Requests to decide*: the involvement requests a lead answers for their agency (accept, or decline saying
 * why), and the person's own agency's requests with their status, withdrawn while they wait.
 */
@Controller('requests')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class RequestsController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async requests(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('done') done?: string,
  ): Promise<void> {
    await this.renderRequests(request, reply, { done: DONE[done ?? ''] });
  }

  /** The confirmation after asking: to whom the request went. */
  @Get(':id/sent')
  async sent(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    const data = await this.load(request);
    const sent = data.involvementRequests.find(
      (candidate) => candidate.id === id && candidate.requestingAgency.id === data.me.agency?.id,
    );
    if (!sent) throw new PageNotFound();
    await this.pages.render(request, reply, 'requests/sent.njk', {
      pageTitle: 'Your request has been sent',
      activeNav: 'requests',
      me: data.me,
      sent,
      agencies: sent.match.involvedAgencies.map((agency) => agency.name),
    });
  }

  @Post(':id/decision')
  async decide(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const decision = text(form.decision);
    const note = text(form.note);
    const problem = !['accept', 'decline'].includes(decision)
      ? { field: 'decision', message: 'Select whether to accept or decline the request' }
      : decision === 'decline' && !note
        ? { field: 'note', message: 'Say why you decline the request' }
        : undefined;
    const result = problem
      ? undefined
      : await this.graphql.execute<{ decideInvolvementRequest: { status: string } }>(
          request,
          request.webSession!.token,
          DECIDE,
          { id, accept: decision === 'accept', note },
        );
    const problems = problem ? [problem] : inputProblemsOf(result!);
    if (problems) {
      const errors = formErrors(
        problems.map((p) => ({ ...p, field: `${p.field.replace(/^\$?(input\.)?/, '')}-${id}` })),
      );
      await this.renderRequests(request, reply, { errors, form: { ...form, id } }, 400);
      return;
    }
    dataOf(result!, '/requests');
    await reply.redirect(`/requests?done=${decision === 'accept' ? 'accepted' : 'declined'}`, 303);
  }

  @Post(':id/withdraw')
  async withdraw(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    dataOf(await this.graphql.execute(request, request.webSession!.token, WITHDRAW, { id }), '/requests');
    await reply.redirect('/requests?done=withdrawn', 303);
  }

  private async load(request: FastifyRequest): Promise<RequestsData> {
    return dataOf(
      await this.graphql.execute<RequestsData>(request, request.webSession!.token, REQUESTS),
      request.method === 'GET' ? request.url : '/requests',
    );
  }

  private async renderRequests(
    request: FastifyRequest,
    reply: FastifyReply,
    locals: { done?: string; errors?: FormErrors; form?: Posted },
    status = 200,
  ): Promise<void> {
    const data = await this.load(request);
    const ours = (candidate: InvolvementRequest) => candidate.requestingAgency.id === data.me.agency?.id;
    await this.pages.render(
      request,
      reply,
      'requests/requests.njk',
      {
        pageTitle: 'Involvement requests',
        activeNav: 'requests',
        me: data.me,
        toDecide: data.involvementRequests.filter((candidate) => !ours(candidate) && candidate.status === 'PENDING'),
        decided: data.involvementRequests.filter((candidate) => !ours(candidate) && candidate.status !== 'PENDING'),
        own: data.involvementRequests.filter(ours),
        form: locals.form ?? {},
        ...locals,
      },
      status,
    );
  }
}
