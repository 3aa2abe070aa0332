import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor';
import { conferenceAudience } from '../access/conference.visibility';
import { ownNotification } from '../access/notifications.rules';
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

/** A notification as its addressee reads it. */
export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  message: string;
  createdAt: Date;
  readAt: Date | null;
  conferenceId: string | null;
  childId: string | null;
}

const NOTIFICATION_COLUMNS = `n.id, n.kind, n.message, n.created_at AS "createdAt", n.read_at AS "readAt",
  n.conference_id AS "conferenceId", n.child_id AS "childId"`;

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

  /** One notification to each person who is told what becomes of the conference (src/access), in one statement. */
  async insertForConference(
    manager: EntityManager,
    conferenceId: string,
    notice: Notice,
    except: string | null,
  ): Promise<void> {
    const values: unknown[] = [notice.kind, notice.message, notice.childId ?? null, except];
    const audience = conferenceAudience(conferenceId, values);
    await manager.query(
      `INSERT INTO notification (user_id, kind, message, child_id, conference_id)
       SELECT told.user_id, $1, $2, $3::uuid, $${values.push(conferenceId)}::uuid
         FROM (${audience}) told
        WHERE told.user_id IS DISTINCT FROM $4::uuid`,
      values,
    );
  }

  /** One notification to one person. */
  async insertForPerson(manager: EntityManager, userId: string, notice: Notice): Promise<void> {
    await manager.query(
      `INSERT INTO notification (user_id, kind, message, child_id, conference_id) VALUES ($1, $2, $3, $4, $5)`,
      [userId, notice.kind, notice.message, notice.childId ?? null, notice.conferenceId ?? null],
    );
  }

  /** The actor's own notifications, newest first. */
  ownList(
    manager: EntityManager,
    actor: Actor,
    query: { unreadOnly: boolean; limit: number },
  ): Promise<NotificationRow[]> {
    const values: unknown[] = [];
    const own = ownNotification(actor, 'n', values);
    values.push(query.limit);
    return manager.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notification n
        WHERE ${own}${query.unreadOnly ? ' AND n.read_at IS NULL' : ''}
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT $${values.length}`,
      values,
    );
  }

  /** One of the actor's own notifications; null if it is not theirs. */
  async ownOne(manager: EntityManager, actor: Actor, id: string): Promise<NotificationRow | null> {
    const values: unknown[] = [id];
    const own = ownNotification(actor, 'n', values);
    const [row]: NotificationRow[] = await manager.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notification n WHERE n.id = $1 AND ${own}`,
      values,
    );
    return row ?? null;
  }

  /** Marks one of the actor's own notifications read (once: a second time keeps the first reading); null if not its. */
  async markOwnRead(manager: EntityManager, actor: Actor, id: string): Promise<NotificationRow | null> {
    const values: unknown[] = [id];
    const own = ownNotification(actor, 'n', values);
    const [row]: NotificationRow[] = await manager.query(
      `WITH marked AS (
         UPDATE notification n SET read_at = COALESCE(n.read_at, now())
          WHERE n.id = $1 AND ${own}
          RETURNING ${NOTIFICATION_COLUMNS})
       SELECT * FROM marked`,
      values,
    );
    return row ?? null;
  }
}
