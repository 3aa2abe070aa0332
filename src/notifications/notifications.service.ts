import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { characterCount } from '../common/text';
import { AgencyAudience, Notice, NotificationsRepository } from './notifications.repository';

/** The characters a notification's message holds (its CHECK). */
const MAX_MESSAGE = 2000;

/**
 * A message that quotes what a person wrote (a break-glass reason of up to 2000 characters after who used it) can
 * run past what the column holds: it is cut, and says so, rather than failing the operation it reports.
 */
function fitted(message: string): string {
  if (characterCount(message) <= MAX_MESSAGE) return message;
  return `${[...message].slice(0, MAX_MESSAGE - 1).join('')}…`;
}

/** Raises notifications; delivery (subscriptions) reads the same table. */
@Injectable()
export class NotificationsService {
  constructor(private readonly repository: NotificationsRepository) {}

  /** One notification to each person of the audience, raised in the caller's unit of work. */
  notifyAgencies(manager: EntityManager, audience: AgencyAudience, notice: Notice): Promise<void> {
    return this.repository.insertForAudience(manager, audience, { ...notice, message: fitted(notice.message) });
  }
}
