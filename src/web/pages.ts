import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LABELS, TAG_CLASSES } from './labels';
import { navigationFor } from './navigation';
import { operation } from './operation';
import { PageGraphql } from './page-graphql';
import { WebSessions } from './session/web-session';

const NAVIGATION = operation(__dirname, 'layout/navigation.graphql');

/** Past this many the header says "99+": the number no longer tells the person anything the words do not. */
const UNREAD_SHOWN = 99;

interface Navigation {
  me: { roles: string[]; user: { platformAdmin: boolean } };
  notifications: Array<{ id: string }>;
}

/** The header's links beyond the page's own: the pages the person's roles open, and the unread notifications. */
export interface HeaderNavigation {
  roles: string[];
  platformAdmin: boolean;
  unread: number;
  unreadText: string;
}

/** "99+" past 99: the list the API answers is capped, and a larger exact number would not help. */
function unreadText(count: number): string {
  return count > UNREAD_SHOWN ? `${UNREAD_SHOWN}+` : String(count);
}

/** Who the header shows: the `me` part of each signed-in page's operation. */
export interface Me {
  user: { displayName: string };
  agency: { name: string } | null;
  /** For the service navigation: the sections the person's roles use. */
  roles?: string[];
}

/** Renders a page with what every page's layout needs: labels, the form token, the timeout warning's timing. */
@Injectable()
export class Pages {
  constructor(
    private readonly sessions: WebSessions,
    private readonly graphql: PageGraphql,
  ) {}

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    locals: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const navigation = locals.me ? await this.navigation(request) : undefined;
    // A page about a child must not stay in a shared computer's cache or history for the next person.
    await reply
      .code(status)
      .header('cache-control', 'no-store')
      .view(view, {
        labels: LABELS,
        tagClasses: TAG_CLASSES,
        csrfToken: request.webSession?.csrfToken,
        idleSeconds: this.sessions.idleSeconds,
        warnSeconds: this.sessions.warnSeconds,
        navigation,
        serviceNavigation: navigationFor(navigation, locals.activeNav),
        ...locals,
      });
  }

  /**
   * Asked of the API for every signed-in page, so each page's own operation need not carry the header. A header
   * the API cannot answer (the session ending as the page renders) shows no more than the page's own `me`.
   */
  private async navigation(request: FastifyRequest): Promise<HeaderNavigation | undefined> {
    const token = request.webSession?.token;
    if (!token) return undefined;
    const { data } = await this.graphql.execute<Navigation>(request, token, NAVIGATION);
    if (!data) return undefined;
    const unread = data.notifications.length;
    return { roles: data.me.roles, platformAdmin: data.me.user.platformAdmin, unread, unreadText: unreadText(unread) };
  }
}

/** A path within this service to come back to, never another site's (`//evil.example`, `/\evil.example`). */
export function localPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : undefined;
}
