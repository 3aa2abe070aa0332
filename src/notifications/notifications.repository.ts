import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../common/enums/agencies';
import type { NotificationKind } from './notification.entity';

export interface AgencyAudience {
  /** Everyone active in these agencies who holds one of `roles`. */
  agencyIds: readonly string[];
  roles: readonly Role[];
  /** Not the person whose action is being notified. */
  except?: string;
}

export interface Notice {
  kind: NotificationKind;
  message: string;
  childId?: string;
  conferenceId?: string;
}

/** The SQL of notifications; delivery (subscriptions) reads the same table. */
@Injectable()
export class NotificationsRepository {
  /** One notification to each person of the audience, in one statement. */
  async insertForAudience(manager: EntityManager, audience: AgencyAudience, notice: Notice): Promise<void> {
    await manager.query(
      `INSERT INTO notification (user_id, kind, message, child_id, conference_id)
       SELECT DISTINCT m.user_id, $3, $4, $5::uuid, $6::uuid
         FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.agency_id = ANY($1::uuid[]) AND m.roles && $2::text[] AND m.active AND u.active
          AND m.user_id IS DISTINCT FROM $7::uuid`,
      [
        audience.agencyIds,
        audience.roles,
        notice.kind,
        notice.message,
        notice.childId ?? null,
        notice.conferenceId ?? null,
        audience.except ?? null,
      ],
    );
  }
}
