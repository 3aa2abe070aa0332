import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AgencyKind, Role } from '../common/enums/agencies';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { LoginAttemptEntity } from './login-attempt.entity';
import { PasswordResetEntity } from './password-reset.entity';
import { SessionEntity } from './session.entity';

/** An active membership of an active agency, that a sign-in may act for. */
export interface ActiveMembership {
  agency_id: string;
  agency_name: string;
}

/** How many failed sign-ins within the window lock out an account, and a network address. */
export interface LockoutLimits {
  windowSeconds: number;
  perAccount: number;
  perAddress: number;
}

/** A lockout in force: when it ends, and the whole seconds until then by the database's clock. */
export interface Lockout {
  until: Date;
  seconds: number;
}

/** Where a person stands in an agency, for a password reset its admin issues or that is used. */
export interface AgencyStanding {
  member_here: boolean;
  member_elsewhere: boolean;
}

/** A reset found by its token hash, with the person it resets. */
export interface PasswordResetRow {
  id: string;
  user_id: string;
  agency_id: string | null;
  expired: boolean;
  used: boolean;
}

/** A live session, with the person and the membership it acts for. */
export interface SessionRow {
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

/** The SQL of signing in: sessions, failed attempts, and the first platform admin. */
@Injectable()
export class AuthRepository {
  activeMemberships(manager: EntityManager, userId: string): Promise<ActiveMembership[]> {
    return manager.query(
      `SELECT m.agency_id, a.name AS agency_name
         FROM membership m JOIN agency a ON a.id = m.agency_id
        WHERE m.user_id = $1 AND m.active AND a.active
        ORDER BY a.name`,
      [userId],
    );
  }

  /** The person with this email, with their password hash (which no other read selects). */
  userWithPassword(manager: EntityManager, email: string): Promise<UserEntity | null> {
    return manager
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
  }

  /** The person, when they have (or had) a membership of the agency; any person when `agencyId` is null. */
  async personOf(manager: EntityManager, userId: string, agencyId: string | null): Promise<UserEntity | null> {
    const [row]: Array<{ id: string }> = await manager.query(
      `SELECT u.id FROM app_user u
        WHERE u.id = $1
          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.agency_id = $2))`,
      [userId, agencyId],
    );
    return row ? manager.findOneByOrFail(UserEntity, { id: row.id }) : null;
  }

  user(manager: EntityManager, userId: string): Promise<UserEntity> {
    return manager.findOneByOrFail(UserEntity, { id: userId });
  }

  agency(manager: EntityManager, agencyId: string): Promise<AgencyEntity> {
    return manager.findOneByOrFail(AgencyEntity, { id: agencyId });
  }

  /** The roles of the person's membership of the agency; none when there is no such membership. */
  async membershipRoles(manager: EntityManager, userId: string, agencyId: string): Promise<Role[]> {
    const [membership]: Array<{ roles: Role[] }> = await manager.query(
      `SELECT roles FROM membership WHERE user_id = $1 AND agency_id = $2`,
      [userId, agencyId],
    );
    return membership?.roles ?? [];
  }

  /**
   * The lockout of the account or the address, whichever ends later, or null when neither is locked out. A
   * lockout ends when the failure that reached the limit (the limit-th newest in the window) leaves the window:
   * from then on one attempt is let through again.
   */
  async lockout(
    manager: EntityManager,
    email: string,
    address: string,
    limits: LockoutLimits,
  ): Promise<Lockout | null> {
    const [row]: Array<{ until: Date | null; seconds: number | null }> = await manager.query(
      `WITH ends AS (
         SELECT greatest(
           (SELECT attempted_at FROM login_attempt
             WHERE email = $1 AND attempted_at > now() - make_interval(secs => $3)
             ORDER BY attempted_at DESC OFFSET $4 LIMIT 1),
           (SELECT attempted_at FROM login_attempt
             WHERE address = $2 AND attempted_at > now() - make_interval(secs => $3)
             ORDER BY attempted_at DESC OFFSET $5 LIMIT 1)
         ) + make_interval(secs => $3) AS until)
       SELECT until, greatest(1, ceil(extract(epoch FROM until - clock_timestamp())))::int AS seconds FROM ends`,
      [email, address, limits.windowSeconds, limits.perAccount - 1, limits.perAddress - 1],
    );
    return row.until && row.seconds ? { until: new Date(row.until), seconds: row.seconds } : null;
  }

  /** Records a failed sign-in, pruning a bounded batch of day-old ones so the table stays small. */
  async recordFailure(manager: EntityManager, email: string, address: string): Promise<void> {
    await manager.insert(LoginAttemptEntity, { email, address });
    await manager.query(
      `DELETE FROM login_attempt WHERE id IN (
         SELECT id FROM login_attempt WHERE attempted_at < now() - interval '1 day' ORDER BY attempted_at LIMIT 100)`,
    );
  }

  async forgetFailures(manager: EntityManager, email: string): Promise<void> {
    await manager.delete(LoginAttemptEntity, { email });
  }

  async setPasswordHash(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await manager.update(UserEntity, { id: userId }, { passwordHash });
  }

  /** Whether the person holds an active membership of the agency, and whether of any other. */
  async standingIn(manager: EntityManager, userId: string, agencyId: string): Promise<AgencyStanding> {
    const [standing]: AgencyStanding[] = await manager.query(
      `SELECT coalesce(bool_or(active AND agency_id = $2), false) AS member_here,
              coalesce(bool_or(active AND agency_id <> $2), false) AS member_elsewhere
         FROM membership WHERE user_id = $1`,
      [userId, agencyId],
    );
    return standing;
  }

  async insertPasswordReset(
    manager: EntityManager,
    reset: { userId: string; tokenHash: string; issuedBy: string; agencyId: string | null; expiresAt: Date },
  ): Promise<string> {
    const { identifiers } = await manager.insert(PasswordResetEntity, reset);
    return String(identifiers[0].id);
  }

  /**
   * The reset with this token hash, locked while it is used, so it is used once. Its state is read after the
   * lock is taken, by the clock of that moment: a withdrawal it waited for has then expired it.
   */
  async passwordResetForUse(manager: EntityManager, tokenHash: string): Promise<PasswordResetRow | null> {
    const [locked]: Array<{ id: string }> = await manager.query(
      `SELECT id FROM password_reset WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    if (!locked) return null;
    const [row]: PasswordResetRow[] = await manager.query(
      `SELECT id, user_id, agency_id, expires_at <= clock_timestamp() AS expired, used_at IS NOT NULL AS used
         FROM password_reset WHERE id = $1`,
      [locked.id],
    );
    return row;
  }

  async markPasswordResetUsed(manager: EntityManager, resetId: string): Promise<void> {
    await manager.update(PasswordResetEntity, { id: resetId }, { usedAt: () => 'now()' });
  }

  /**
   * Ends the person's open resets: a newer one replaces them, and once the password is set (by a reset or by the
   * person) none is needed. clock_timestamp(), as for invitations: one committed after this transaction began was
   * still issued before this statement runs.
   */
  async withdrawPasswordResets(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE password_reset SET expires_at = clock_timestamp()
        WHERE user_id = $1 AND used_at IS NULL AND expires_at > clock_timestamp()`,
      [userId],
    );
  }

  async insertSession(
    manager: EntityManager,
    session: { userId: string; agencyId: string | null; expiresAt: Date },
  ): Promise<string> {
    const { identifiers } = await manager.insert(SessionEntity, session);
    return String(identifiers[0].id);
  }

  async revokeSession(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(SessionEntity, { id: sessionId }, { revokedAt: () => 'now()' });
  }

  /**
   * The session if it is live: not ended or expired, its person active, and the membership it acts for (if any)
   * active in an active agency. One query per request.
   */
  async liveSession(manager: EntityManager, sessionId: string): Promise<SessionRow | null> {
    const [row]: SessionRow[] = await manager.query(
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
    return row ?? null;
  }

  /**
   * Creates the first platform admin unless one exists; replicas starting together take turns. 'taken' when
   * the email belongs to an existing person, who is never promoted. The password is hashed only when needed.
   */
  async bootstrapPlatformAdmin(
    manager: EntityManager,
    email: string,
    passwordHash: () => Promise<string>,
  ): Promise<'exists' | 'created' | 'taken'> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('bootstrap-platform-admin'))`);
    const [existing] = await manager.query(`SELECT 1 FROM app_user WHERE platform_admin LIMIT 1`);
    if (existing) return 'exists';
    const inserted = await manager.query(
      `INSERT INTO app_user (email, display_name, password_hash, platform_admin)
       VALUES ($1, 'Platform admin', $2, true)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [email, await passwordHash()],
    );
    return inserted.length ? 'created' : 'taken';
  }
}
