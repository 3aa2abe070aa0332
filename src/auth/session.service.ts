import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor';
import type { AgencyKind, Role } from '../agencies/agencies.enums';
import { isUuid } from '../database/postgres';
import { TokenService } from './token.service';

interface SessionRow {
  session_id: string;
  user_id: string;
  email: string;
  display_name: string;
  platform_admin: boolean;
  agency_id: string | null;
  agency_kind: AgencyKind | null;
  first_responder: boolean | null;
  roles: Role[] | null;
}

@Injectable()
export class SessionService {
  constructor(private readonly tokens: TokenService) {}

  /**
   * The actor behind a bearer token, or null when the token is invalid, the session was ended, the person was
   * deactivated, or the membership it acts for is no longer active. One query per request.
   */
  async actorFor(token: string, manager: EntityManager): Promise<Actor | null> {
    const sessionId = (await this.tokens.claimsOf(token))?.sessionId;
    if (!sessionId || !isUuid(sessionId)) return null;
    const rows: SessionRow[] = await manager.query(
      `SELECT s.id AS session_id, u.id AS user_id, u.email, u.display_name, u.platform_admin,
              s.agency_id, a.kind AS agency_kind, a.first_responder, m.roles
         FROM auth_session s
         JOIN app_user u ON u.id = s.user_id
         LEFT JOIN membership m ON m.user_id = s.user_id AND m.agency_id = s.agency_id
         LEFT JOIN agency a ON a.id = s.agency_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active
          AND (s.agency_id IS NULL OR (m.active AND a.active))`,
      [sessionId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      userId: row.user_id,
      sessionId: row.session_id,
      email: row.email,
      displayName: row.display_name,
      platformAdmin: row.platform_admin,
      membership:
        row.agency_id && row.agency_kind && row.roles
          ? {
              agencyId: row.agency_id,
              agencyKind: row.agency_kind,
              firstResponder: row.first_responder ?? false,
              roles: row.roles,
            }
          : null,
    };
  }
}
