import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formErrors, FormErrors } from '../form-errors';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { Posted, text } from '../posted';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const BREAK_GLASS_REVIEWS = operation(__dirname, 'break-glass-reviews.graphql');
const REVIEW_BREAK_GLASS = operation(__dirname, 'review-break-glass.graphql');

/** The *break-glass review* queue: each emergency access to a record the agency held, reviewed with an outcome. */
@Controller('break-glass-reviews')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class BreakGlassReviewsController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async queue(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('reviewed') reviewed?: string,
  ): Promise<void> {
    await this.renderQueue(request, reply, { reviewed: reviewed === 'yes' });
  }

  @Post(':id')
  async review(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() form: Posted,
  ): Promise<void> {
    const outcome = text(form.outcome);
    const result = await this.graphql.execute(request, request.webSession!.token, REVIEW_BREAK_GLASS, {
      id,
      outcome,
    });
    const problems = inputProblemsOf(result);
    if (problems) {
      const errors = formErrors(problems.map((problem) => ({ ...problem, field: `outcome-${id}` })));
      await this.renderQueue(request, reply, { errors, form: { ...form, id } }, 400);
      return;
    }
    dataOf(result, '/break-glass-reviews');
    await reply.redirect('/break-glass-reviews?reviewed=yes', 303);
  }

  private async renderQueue(
    request: FastifyRequest,
    reply: FastifyReply,
    locals: { reviewed?: boolean; errors?: FormErrors; form?: Posted },
    status = 200,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{ me: Me; breakGlassToReview: unknown[] }>(
        request,
        request.webSession!.token,
        BREAK_GLASS_REVIEWS,
      ),
      request.method === 'GET' ? request.url : '/break-glass-reviews',
    );
    await this.pages.render(
      request,
      reply,
      'sharing/break-glass-reviews.njk',
      {
        pageTitle: 'Break-glass reviews',
        activeNav: 'break-glass-reviews',
        me: data.me,
        accesses: data.breakGlassToReview,
        form: locals.form ?? {},
        ...locals,
      },
      status,
    );
  }
}
