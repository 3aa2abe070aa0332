import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { characterCount } from '../common/text';
import type { Scope } from '../access/scope';
import { NotFoundError } from '../common/errors';
import { isUuid } from '../database/postgres';
import { LiveEvents, NotificationAdded } from '../live/live-events.service';
import { AgencyAudience, Notice, NotificationRow, NotificationsRepository } from './notifications.repository';

/** The characters a notification's message holds (its CHECK). */
const MAX_MESSAGE = 2000;

/** A person's list is worked through, not archived: at most this many, newest first. */
const LIST_LIMIT = 200;

/**
 * A message that quotes what a person wrote (a break-glass reason of up to 2000 characters after who used it) can
 * run past what the column holds: it is cut, and says so, rather than failing the operation it reports.
 */
function fitted(message: string): string {
  if (characterCount(message) <= MAX_MESSAGE) return message;
  return `${[...message].slice(0, MAX_MESSAGE - 1).join('')}…`;
}

/**
 * Raises notifications and lets each person read their own (src/access/notifications.rules.ts): someone else's
 * is NOT_FOUND, as if it did not exist. Delivery (subscriptions) reads the same table.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly live: LiveEvents,
  ) {}

  /** One notification to each person of the audience, raised in the caller's unit of work. */
  notifyAgencies(manager: EntityManager, audience: AgencyAudience, notice: Notice): Promise<void> {
    return this.repository.insertForAudience(manager, audience, { ...notice, message: fitted(notice.message) });
  }

  /**
   * One notification about a conference to each person told what becomes of it (those who see it, among its
   * chair's and invited agencies), but not `except` (whose action it reports), raised in the caller's unit of work.
   */
  notifyConference(
    manager: EntityManager,
    conferenceId: string,
    notice: Omit<Notice, 'conferenceId'>,
    except?: string,
  ): Promise<void> {
    return this.repository.insertForConference(
      manager,
      conferenceId,
      { ...notice, message: fitted(notice.message) },
      except ?? null,
    );
  }

  /** One notification to one person, raised in the caller's unit of work. */
  notifyPerson(manager: EntityManager, userId: string, notice: Notice): Promise<void> {
    return this.repository.insertForPerson(manager, userId, { ...notice, message: fitted(notice.message) });
  }

  async list(ctx: Scope, unreadOnly: boolean): Promise<NotificationRow[]> {
    return this.repository.ownList(await ctx.manager(), ctx.signedIn.actor, { unreadOnly, limit: LIST_LIMIT });
  }

  /** The notifications added for the actor from now on, as signals to read each by (`own`). */
  watch(ctx: Scope): AsyncIterableIterator<NotificationAdded> {
    return this.live.notificationsFor(ctx.signedIn.actor.userId);
  }

  /** One of the actor's own notifications, read afresh; anyone else's is NOT_FOUND. */
  async own(ctx: Scope, id: string): Promise<NotificationRow> {
    const row = isUuid(id) ? await this.repository.ownOne(await ctx.manager(), ctx.signedIn.actor, id) : null;
    if (!row) throw new NotFoundError('Notification', id);
    return row;
  }

  async markRead(ctx: Scope, id: string): Promise<NotificationRow> {
    const marked = isUuid(id) ? await this.repository.markOwnRead(await ctx.manager(), ctx.signedIn.actor, id) : null;
    if (!marked) throw new NotFoundError('Notification', id);
    return marked;
  }
}
