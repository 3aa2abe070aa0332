import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor';
import { isUuid } from '../database/postgres';
import { AuthRepository } from './auth.repository';
import { TokenService } from './token.service';

@Injectable()
export class SessionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly repository: AuthRepository,
  ) {}

  /**
   * The actor behind a bearer token, or null when the token is invalid, the session was ended, the person was
   * deactivated, or the membership it acts for is no longer active.
   */
  async actorFor(token: string, manager: EntityManager): Promise<Actor | null> {
    const sessionId = (await this.tokens.claimsOf(token))?.sessionId;
    if (!sessionId || !isUuid(sessionId)) return null;
    const row = await this.repository.liveSession(manager, sessionId);
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
