import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LABELS, TAG_CLASSES } from './labels';
import { navigationFor } from './navigation';
import { WebSessions } from './session/web-session';

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
  constructor(private readonly sessions: WebSessions) {}

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    locals: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
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
        navigation: navigationFor(locals.me as Me | undefined, locals.activeNav),
        ...locals,
      });
  }
}

/** A path within this service to come back to, never another site's (`//evil.example`, `/\evil.example`). */
export function localPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : undefined;
}
