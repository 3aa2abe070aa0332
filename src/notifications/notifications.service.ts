import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgencyAudience, Notice, NotificationsRepository } from './notifications.repository';

/** Raises notifications; delivery (subscriptions) reads the same table. */
@Injectable()
export class NotificationsService {
  constructor(private readonly repository: NotificationsRepository) {}

  /** One notification to each person of the audience, raised in the caller's unit of work. */
  notifyAgencies(manager: EntityManager, audience: AgencyAudience, notice: Notice): Promise<void> {
    return this.repository.insertForAudience(manager, audience, notice);
  }
}
