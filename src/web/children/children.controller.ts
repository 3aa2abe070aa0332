import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { choicesOf } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { formErrors } from '../form-errors';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const MY_CHILDREN = operation(__dirname, 'children.graphql');
const HEADER = operation(__dirname, '../session/header.graphql');
const PAGE_SIZE = 20;

interface ChildRow {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  flags: string[];
  currentRisk: { level: string } | null;
}

interface MyChildren {
  me: Me;
  children: { edges: Array<{ node: ChildRow }>; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

interface ListQuery {
  search?: string;
  minRisk?: string;
  category?: string;
  flag?: string;
  after?: string;
  /** The cursors of the pages before this one ('' for the first), so "Previous" can go back: keyset pages go forward. */
  trail?: string;
}

const filled = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : undefined);

/** *My children*: the children the acting agency reaches, by name, with their risk and flags, filtered and paged. */
@Controller()
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class ChildrenController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async myChildren(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: ListQuery,
  ): Promise<void> {
    const filter = {
      search: filled(query.search),
      minRisk: filled(query.minRisk),
      category: filled(query.category),
      flag: filled(query.flag),
    };
    const after = filled(query.after);
    const trail = after && query.trail !== undefined ? query.trail.split('.') : [];
    const result = await this.graphql.execute<MyChildren>(request, request.webSession!.token, MY_CHILDREN, {
      first: PAGE_SIZE,
      after: after ?? null,
      filter: Object.values(filter).some(Boolean) ? filter : null,
    });
    if (result.errors[0]?.extensions?.code === 'FORBIDDEN') {
      // Admins and analysts work with no child's record: their home page says so, and the header leads on.
      const { me } = dataOf(await this.graphql.execute<{ me: Me }>(request, request.webSession!.token, HEADER));
      await this.pages.render(request, reply, 'children/no-children.njk', {
        pageTitle: 'Safeguard Conference',
        me,
      });
      return;
    }
    const problems = inputProblemsOf(result);
    const data = problems ? null : dataOf(result, request.url);

    const link = (page: { after?: string; trail: string[] }) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
      if (page.after) {
        params.set('after', page.after);
        params.set('trail', page.trail.join('.'));
      }
      const search = params.toString();
      return search ? `/?${search}` : '/';
    };
    const pageInfo = data?.children.pageInfo;
    await this.pages.render(request, reply, 'children/children.njk', {
      pageTitle: 'My children',
      activeNav: 'children',
      me: data?.me,
      filter,
      errors: problems
        ? formErrors(problems, {
            messages: {
              minRisk: 'Select a risk level from the list',
              category: 'Select a category from the list',
              flag: 'Select a flag from the list',
              after: 'Start again from the first page',
            },
          })
        : undefined,
      children: data?.children.edges.map((edge) => edge.node) ?? [],
      choices: {
        minRisk: choicesOf('risk', filter.minRisk),
        category: choicesOf('category', filter.category),
        flag: choicesOf('flag', filter.flag),
      },
      pagination: {
        previous: after ? { href: link({ after: trail.at(-1) || undefined, trail: trail.slice(0, -1) }) } : undefined,
        next:
          pageInfo?.hasNextPage && pageInfo.endCursor
            ? { href: link({ after: pageInfo.endCursor, trail: [...trail, after ?? ''] }) }
            : undefined,
      },
    });
  }
}
