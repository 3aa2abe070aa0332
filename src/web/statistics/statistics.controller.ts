import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { calendarDateFrom, calendarDateText, todayInEngland } from '../dates';
import { formErrors, FormErrors } from '../form-errors';
import { LABELS } from '../labels';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, inputProblemsOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { dateParts, Posted, text } from '../posted';
import { SignedInGuard } from '../session/signed-in.guard';
import { barChart } from './bar-chart';

const STATISTICS = operation(__dirname, 'statistics.graphql');

interface Cell {
  key: string;
  count: number | null;
  suppressed: boolean;
}

interface StatisticsData {
  me: Me;
  exploitationStatistics: {
    from: string;
    to: string;
    concerns: number | null;
    byCategory: Cell[];
    byRecruitmentSetting: Cell[];
    byAgencyKind: Cell[];
  };
  agencies: Array<{ localAuthority: string | null }>;
}

/** A breakdown as the page's table, chart and CSV show it: the same rows, in the same words, for all three. */
interface Breakdown {
  id: string;
  title: string;
  heading: string;
  rows: Array<{ label: string; count: number | null; suppressed: boolean; shown: string }>;
}

const SUPPRESSED = 'Suppressed';

const BREAKDOWNS = [
  {
    id: 'by-category',
    title: 'Concerns by category',
    heading: 'Category',
    field: 'byCategory',
    labels: LABELS.category,
  },
  {
    id: 'by-recruitment-setting',
    title: 'Concerns by where the child was drawn in',
    heading: 'Setting',
    field: 'byRecruitmentSetting',
    labels: LABELS.recruitmentSetting,
  },
  {
    id: 'by-agency-kind',
    title: 'Concerns by the kind of agency recording them',
    heading: 'Agency kind',
    field: 'byAgencyKind',
    labels: LABELS.agencyKind,
  },
] as const;

const FIELDS = {
  ids: { from: 'from-day', to: 'to-day', localAuthority: 'localAuthority' },
  messages: {
    from: 'Enter the start of the period as a real date, for example 1 4 2026',
    to: 'Enter the end of the period as a real date, for example 31 3 2027',
  },
};

/** A year back from today, to today: the period the page opens on. */
function defaultRange(): { from: string; to: string } {
  const to = todayInEngland();
  return { from: `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`, to };
}

function partsOf(prefix: string, date: string): Posted {
  return {
    [`${prefix}-day`]: String(Number(date.slice(8, 10))),
    [`${prefix}-month`]: String(Number(date.slice(5, 7))),
    [`${prefix}-year`]: date.slice(0, 4),
  };
}

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Statistics for analysts (issue 13): the service's disclosure-controlled breakdowns as tables (a suppressed cell
 * says so), bar charts drawn on the server as SVG with the table as their text alternative, a date range and
 * local-authority filter (a GET form: the address is the query, so it can be bookmarked and shared), and a CSV of
 * exactly the rows the tables show.
 */
@Controller('statistics')
@UseFilters(PageErrorFilter)
@UseGuards(SignedInGuard)
export class StatisticsController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async statistics(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Posted): Promise<void> {
    const { form, variables } = this.filter(query);
    const result = await this.graphql.execute<StatisticsData>(
      request,
      request.webSession!.token,
      STATISTICS,
      variables,
    );
    const problems = inputProblemsOf(result);
    if (problems) {
      await this.render(request, reply, form, null, formErrors(problems, FIELDS));
      return;
    }
    await this.render(request, reply, form, dataOf(result, request.url));
  }

  @Get('download.csv')
  async download(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Posted): Promise<void> {
    const { variables } = this.filter(query);
    const data = dataOf(
      await this.graphql.execute<StatisticsData>(request, request.webSession!.token, STATISTICS, variables),
      request.url,
    );
    const statistics = data.exploitationStatistics;
    const lines = [
      ['Breakdown', 'Group', 'Concerns'],
      ['All concerns', 'Total', this.shown(statistics.concerns, statistics.concerns === null)],
      ...this.breakdowns(data).flatMap((breakdown) =>
        breakdown.rows.map((row) => [breakdown.title, row.label, row.shown]),
      ),
    ];
    const area = variables.localAuthority ? `-${variables.localAuthority.replace(/[^\w-]+/g, '-')}` : '';
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-disposition',
        `attachment; filename="exploitation-statistics-${statistics.from}-to-${statistics.to}${area}.csv"`,
      )
      .send(lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n');
  }

  private filter(query: Posted) {
    const fallback = defaultRange();
    const given = text(query['from-day']) || text(query['to-day']);
    const form: Posted = given ? query : { ...partsOf('from', fallback.from), ...partsOf('to', fallback.to) };
    return {
      form: { ...form, localAuthority: text(query.localAuthority) },
      variables: {
        from: given ? calendarDateFrom(dateParts(query, 'from')) : fallback.from,
        to: given ? calendarDateFrom(dateParts(query, 'to')) : fallback.to,
        localAuthority: text(query.localAuthority) || null,
      },
    };
  }

  private shown(count: number | null, suppressed: boolean): string {
    return suppressed || count === null ? SUPPRESSED : String(count);
  }

  private breakdowns(data: StatisticsData): Breakdown[] {
    return BREAKDOWNS.map((breakdown) => ({
      id: breakdown.id,
      title: breakdown.title,
      heading: breakdown.heading,
      rows: data.exploitationStatistics[breakdown.field].map((cell) => ({
        label: (breakdown.labels as Record<string, string>)[cell.key] ?? cell.key,
        count: cell.count,
        suppressed: cell.suppressed,
        shown: this.shown(cell.count, cell.suppressed),
      })),
    }));
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: Posted,
    data: StatisticsData | null,
    errors?: FormErrors,
  ): Promise<void> {
    const me =
      data?.me ??
      dataOf(
        await this.graphql.execute<StatisticsData>(request, request.webSession!.token, STATISTICS, defaultRange()),
        request.url,
      ).me;
    const areas = [...new Set((data?.agencies ?? []).map((agency) => agency.localAuthority).filter(Boolean))].sort();
    const breakdowns = data ? this.breakdowns(data) : [];
    const query = new URLSearchParams(
      Object.entries(form).flatMap(([name, value]) =>
        typeof value === 'string' && value ? [[name, value] as [string, string]] : [],
      ),
    ).toString();
    await this.pages.render(
      request,
      reply,
      'statistics/statistics.njk',
      {
        pageTitle: 'Exploitation statistics',
        activeNav: 'statistics',
        me,
        form,
        errors,
        statistics: data?.exploitationStatistics,
        period: data
          ? `${calendarDateText(data.exploitationStatistics.from)} to ${calendarDateText(data.exploitationStatistics.to)}`
          : '',
        total: data
          ? this.shown(data.exploitationStatistics.concerns, data.exploitationStatistics.concerns === null)
          : '',
        breakdowns: breakdowns.map((breakdown) => ({
          ...breakdown,
          chart: barChart(breakdown.id, breakdown.title, breakdown.rows),
        })),
        areas: [
          { value: '', text: 'All local authorities', selected: !text(form.localAuthority) },
          ...areas.map((area) => ({ value: area, text: area, selected: area === text(form.localAuthority) })),
        ],
        csvHref: `/statistics/download.csv${query ? `?${query}` : ''}`,
      },
      errors ? 400 : 200,
    );
  }
}
