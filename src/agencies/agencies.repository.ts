import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { adminRolesSql } from '../access/people.decisions';
import type { AgencyKind, Role } from '../common/enums/agencies';
import { AgencyEntity } from './agency.entity';
import { InvitationEntity } from './invitation.entity';
import { MembershipEntity } from './membership.entity';
import { UserEntity } from './user.entity';

export interface NewAgency {
  name: string;
  kind: AgencyKind;
  localAuthority: string | null;
  firstResponder: boolean;
}

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string | null;
  platformAdmin?: boolean;
}

export interface NewInvitation {
  agencyId: string;
  email: string;
  displayName: string;
  roles: Role[];
  tokenHash: string;
  invitedBy: string;
  expiresAt: Date;
}

export interface MembershipRow {
  user_id: string;
  agency_id: string;
  roles: Role[];
  active: boolean;
}

/** The SQL of agencies, their people, memberships and invitations. */
@Injectable()
export class AgenciesRepository {
  /** Fails with the unique violation of `agency_name_key` when the name (any case) is taken. */
  insertAgency(manager: EntityManager, agency: NewAgency): Promise<AgencyEntity> {
    return manager.save(manager.create(AgencyEntity, agency));
  }

  agencies(manager: EntityManager): Promise<AgencyEntity[]> {
    return manager.find(AgencyEntity, { order: { name: 'ASC', id: 'ASC' } });
  }

  agenciesByIds(manager: EntityManager, ids: readonly string[]): Promise<AgencyEntity[]> {
    return manager.findBy(AgencyEntity, { id: In([...ids]) });
  }

  agency(manager: EntityManager, id: string): Promise<AgencyEntity | null> {
    return manager.findOneBy(AgencyEntity, { id });
  }

  /** Locks the agency row, so changes to its admins are serialised; its kind, or null when it does not exist. */
  async lockAgency(manager: EntityManager, agencyId: string): Promise<AgencyKind | null> {
    const [agency]: Array<{ kind: AgencyKind }> = await manager.query(
      `SELECT kind FROM agency WHERE id = $1 FOR UPDATE`,
      [agencyId],
    );
    return agency?.kind ?? null;
  }

  /** Everyone who ever had a membership of the agency, by name. */
  peopleOf(manager: EntityManager, agencyId: string): Promise<UserEntity[]> {
    return manager
      .createQueryBuilder(UserEntity, 'u')
      .innerJoin(MembershipEntity, 'm', 'm.userId = u.id AND m.agencyId = :agencyId', { agencyId })
      .orderBy('u.displayName')
      .addOrderBy('u.id')
      .getMany();
  }

  user(manager: EntityManager, id: string): Promise<UserEntity> {
    return manager.findOneByOrFail(UserEntity, { id });
  }

  userById(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager.findOneBy(UserEntity, { id });
  }

  userByEmail(manager: EntityManager, email: string): Promise<UserEntity | null> {
    return manager.findOneBy(UserEntity, { email });
  }

  async insertUser(manager: EntityManager, user: NewUser): Promise<string> {
    const { identifiers } = await manager.insert(UserEntity, user);
    return String(identifiers[0].id);
  }

  async reactivateUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(UserEntity, { id: userId }, { active: true });
  }

  /**
   * Lifts the platform admin's deactivation; false when the account is not so deactivated. Its memberships stay
   * ended, so it is a leaver whom agencies may invite back (a platform admin, who needs none, is active again).
   */
  async liftPlatformDeactivation(manager: EntityManager, userId: string): Promise<boolean> {
    const [, lifted] = await manager.query(
      `UPDATE app_user SET platform_deactivated = false, active = platform_admin
        WHERE id = $1 AND platform_deactivated RETURNING 1`,
      [userId],
    );
    return Boolean(lifted);
  }

  /** Deactivates the person unless they are a platform admin or still hold an active membership. */
  async deactivateIfNoMembership(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE app_user SET active = false
        WHERE id = $1 AND NOT platform_admin
          AND NOT EXISTS (SELECT 1 FROM membership WHERE user_id = $1 AND active)`,
      [userId],
    );
  }

  /**
   * The platform admin deactivates the whole account and ends every membership, so that nothing of the old
   * account's places and roles remains to come back; false when there is no such person.
   */
  async deactivateUser(manager: EntityManager, userId: string): Promise<boolean> {
    const [, ended] = await manager.query(
      `WITH memberships AS (UPDATE membership SET active = false WHERE user_id = $1 AND active)
       UPDATE app_user SET active = false, platform_deactivated = true WHERE id = $1 RETURNING 1`,
      [userId],
    );
    return Boolean(ended);
  }

  /**
   * Whether `userId` is the last active platform admin. Platform admins are deactivated one at a time, so two
   * cannot deactivate each other at once and leave none (the bootstrap settings create one only while there has
   * never been any).
   */
  async lastPlatformAdmin(manager: EntityManager, userId: string): Promise<boolean> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('platform-admins'))`);
    const [last] = await manager.query(
      `SELECT 1 FROM app_user WHERE id = $1 AND platform_admin
          AND NOT EXISTS (SELECT 1 FROM app_user WHERE platform_admin AND active AND id <> $1)`,
      [userId],
    );
    return Boolean(last);
  }

  membership(manager: EntityManager, userId: string, agencyId: string): Promise<MembershipEntity | null> {
    return manager.findOneBy(MembershipEntity, { userId, agencyId });
  }

  /** Whether the person (by id) holds an active membership of the agency. */
  async activeMember(manager: EntityManager, userId: string, agencyId: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM membership WHERE user_id = $1 AND agency_id = $2 AND active`, [
      userId,
      agencyId,
    ]);
    return rows.length > 0;
  }

  /** Whether an active person with this email holds an active membership of the agency. */
  async activeMemberByEmail(manager: EntityManager, email: string, agencyId: string): Promise<boolean> {
    const rows = await manager.query(
      `SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE u.email = $1 AND m.agency_id = $2 AND m.active AND u.active`,
      [email, agencyId],
    );
    return rows.length > 0;
  }

  /** Whether an active person other than `userId` is an active admin of the agency. */
  async anotherAdmin(manager: EntityManager, agencyId: string, userId: string): Promise<boolean> {
    const rows = await manager.query(
      `SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.agency_id = $1 AND m.user_id <> $2 AND m.active AND u.active AND ${adminRolesSql('m.roles')}
        LIMIT 1`,
      [agencyId, userId],
    );
    return rows.length > 0;
  }

  async insertMembership(manager: EntityManager, userId: string, agencyId: string, roles: Role[]): Promise<void> {
    await manager.insert(MembershipEntity, { userId, agencyId, roles });
  }

  /** A new membership, or a past one active again with these roles. */
  async joinAgency(manager: EntityManager, userId: string, agencyId: string, roles: Role[]): Promise<void> {
    await manager.query(
      `INSERT INTO membership (user_id, agency_id, roles) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, agency_id) DO UPDATE SET roles = EXCLUDED.roles, active = true`,
      [userId, agencyId, roles],
    );
  }

  async setRoles(manager: EntityManager, userId: string, agencyId: string, roles: Role[]): Promise<void> {
    await manager.update(MembershipEntity, { userId, agencyId }, { roles });
  }

  async endMembership(manager: EntityManager, userId: string, agencyId: string): Promise<void> {
    await manager.update(MembershipEntity, { userId, agencyId }, { active: false });
  }

  /** The memberships of these people (of one agency only, when given), by agency name. */
  membershipsOf(manager: EntityManager, userIds: readonly string[], agencyId: string | null): Promise<MembershipRow[]> {
    return manager.query(
      `SELECT m.user_id, m.agency_id, m.roles, m.active
         FROM membership m JOIN agency a ON a.id = m.agency_id
        WHERE m.user_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR m.agency_id = $2)
        ORDER BY a.name, a.id`,
      [userIds, agencyId],
    );
  }

  /** Ends the person's live sessions at once (auth_session): those acting for one agency, or all of them when `agencyId` is null. */
  async revokeSessionsOf(manager: EntityManager, userId: string, agencyId: string | null): Promise<void> {
    await manager.query(
      `UPDATE auth_session SET revoked_at = now()
        WHERE user_id = $1 AND ($2::uuid IS NULL OR agency_id = $2) AND revoked_at IS NULL`,
      [userId, agencyId],
    );
  }

  async insertInvitation(manager: EntityManager, invitation: NewInvitation): Promise<string> {
    const { identifiers } = await manager.insert(InvitationEntity, invitation);
    return String(identifiers[0].id);
  }

  /** The invitation with this token hash, locked while it is accepted. */
  invitationForAcceptance(manager: EntityManager, tokenHash: string): Promise<InvitationEntity | null> {
    return manager
      .createQueryBuilder(InvitationEntity, 'i')
      .where('i.tokenHash = :hash', { hash: tokenHash })
      .setLock('pessimistic_write')
      .getOne();
  }

  async markAccepted(manager: EntityManager, invitationId: string): Promise<void> {
    await manager.update(InvitationEntity, { id: invitationId }, { acceptedAt: () => 'now()' });
  }

  /**
   * Ends the invitations still open to the person (in one agency, or in every agency when null), or one issued
   * earlier would bring a deactivated person straight back.
   * clock_timestamp(), not now(): an invitation committed after this transaction began was still created before
   * this statement runs.
   */
  async withdrawInvitations(manager: EntityManager, userId: string, agencyId: string | null): Promise<void> {
    await manager.query(
      `UPDATE invitation SET expires_at = clock_timestamp()
        WHERE email = (SELECT email FROM app_user WHERE id = $1) AND ($2::uuid IS NULL OR agency_id = $2)
          AND accepted_at IS NULL AND expires_at > clock_timestamp()`,
      [userId, agencyId],
    );
  }
}
