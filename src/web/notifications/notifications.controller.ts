import { Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { operation } from '../operation';
import { PageErrorFilter } from '../page-error.filter';
import { dataOf, PageGraphql } from '../page-graphql';
import { Me, Pages } from '../pages';
import { CsrfGuard } from '../session/csrf.guard';
import { SignedInGuard } from '../session/signed-in.guard';

const NOTIFICATIONS = operation(__dirname, 'notifications.graphql');
const MARK_READ = operation(__dirname, 'mark-read.graphql');

interface Notification {
  id: string;
  kind: string;
  message: string;
  createdAt: string;
  readAt: string | null;
  childId: string | null;
  conferenceId: string | null;
}

/** What each kind is about, as a heading; a kind the pages do not know yet is shown by its message alone. */
const KIND_TITLES: Record<string, string> = {
  ACCESS_GRANTED: 'A record was shared with your agency',
  ACTION_OVERDUE: 'A plan action is overdue',
  BREAK_GLASS_TO_REVIEW: 'Emergency access to review',
  CONFERENCE_DECIDED: 'A conference was decided',
  CONFERENCE_INVITATION: 'Your agency is invited to a conference',
  DEADLINE_APPROACHING: 'A conference deadline is approaching',
  INVOLVEMENT_DECIDED: 'Your involvement request was decided',
  INVOLVEMENT_REQUESTED: 'An agency asks to be involved',
  NON_PUNISHMENT_OUTCOME: 'A non-punishment assessment was recorded',
  REPORT_DUE: "Your agency's conference report is due",
};

/** Requests are what these kinds are about: the child they concern opens only once one is accepted. */
const ABOUT_A_REQUEST = new Set(['INVOLVEMENT_REQUESTED', 'INVOLVEMENT_DECIDED']);

/**
 * Where a notification leads: its request, its conference or its child. Following it opens only what the person's
 * routes open at the time, like any other link (a child no longer reached is "Page not found").
 */
function linkOf(notification: Notification): { href: string; text: string } | undefined {
  if (ABOUT_A_REQUEST.has(notification.kind)) return { href: '/requests', text: 'Go to the requests' };
  if (notification.conferenceId) {
    return { href: `/conferences/${encodeURIComponent(notification.conferenceId)}`, text: 'Go to the conference' };
  }
  if (notification.childId) {
    return { href: `/children/${encodeURIComponent(notification.childId)}`, text: "Go to the child's record" };
  }
  return undefined;
}

/** *Notifications*: the person's own, newest first, each marked read by a form of its own (no JavaScript needed). */
@Controller('notifications')
@UseFilters(PageErrorFilter)
@UseGuards(CsrfGuard, SignedInGuard)
export class NotificationsController {
  constructor(
    private readonly graphql: PageGraphql,
    private readonly pages: Pages,
  ) {}

  @Get()
  async notifications(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('read') read?: string,
  ): Promise<void> {
    const data = dataOf(
      await this.graphql.execute<{ me: Me; notifications: Notification[] }>(
        request,
        request.webSession!.token,
        NOTIFICATIONS,
      ),
      request.url,
    );
    await this.pages.render(request, reply, 'notifications/notifications.njk', {
      pageTitle: 'Notifications',
      activeNav: 'notifications',
      me: data.me,
      markedRead: read !== undefined,
      notifications: data.notifications.map((notification) => ({
        ...notification,
        title: KIND_TITLES[notification.kind] ?? 'Notification',
        link: linkOf(notification),
      })),
    });
  }

  @Post(':id/read')
  async markRead(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Param('id') id: string): Promise<void> {
    dataOf(await this.graphql.execute(request, request.webSession!.token, MARK_READ, { id }), '/notifications');
    await reply.redirect('/notifications?read=1', 303);
  }
}
