import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor';
import { AuditLog } from '../audit/audit-log.service';
import { AuthService } from '../auth/auth.service';
import type { AuthPayloadType } from '../auth/auth.types';
import { PasswordService } from '../auth/password.service';
import {
  BadUserInputError,
  ConflictError,
  FailedPreconditionError,
  ForbiddenError,
  NotFoundError,
} from '../common/errors';
import type { Scope } from '../access/scope';
import { AgencyKind, Role } from './agencies.enums';
import type { InviteUserInput } from './agencies.inputs';
import type { InvitationType, MembershipType, UserType } from './agencies.types';
import { AgencyEntity } from './agency.entity';
import { InvitationEntity } from './invitation.entity';
import { MembershipEntity } from './membership.entity';
import { isUuid } from '../database/postgres';
import { UserEntity } from './user.entity';

const ALL_MEMBERSHIPS = new LoaderKey<string, MembershipType[]>("a person's memberships");
const MEMBERSHIP_IN_ACTING_AGENCY = new LoaderKey<string, MembershipType[]>(
  "a person's membership of the acting agency",
);

const INVITATION_DAYS = 7;

/**
 * Roles that carry a statutory power belong to the agencies that hold it: police powers (break-glass on
 * police intelligence) and the CPS's non-punishment assessment. Granting them elsewhere would open child data
 * that agency has no business reading.
 */
const ROLE_AGENCY_KINDS: Partial<Record<Role, AgencyKind[]>> = {
  [Role.POLICE_OFFICER]: [AgencyKind.POLICE],
  [Role.PROSECUTOR]: [AgencyKind.PROSECUTION],
};

/** The CASL subject for managing people: the agency they belong to and, when inviting, the roles granted. */
const peopleOf = (conditions: { agencyId: string; roles?: Role[] }) =>
  subject('User', conditions as Record<string, unknown>);

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Inviting people into agencies, their roles there, and deactivating them. Every change to an agency's people
 * takes effect on the affected person's very next request, because sessions are re-read per request.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditLog,
  ) {}

  /** An agency's people, active or not. Another agency's people do not exist for an agency admin. */
  async list(ctx: Scope, agencyId: string): Promise<UserEntity[]> {
    if (!isUuid(agencyId) || !ctx.signedIn.ability.can('read', peopleOf({ agencyId }))) {
      throw new NotFoundError('Agency', agencyId);
    }
    const manager = await ctx.manager();
    return manager
      .createQueryBuilder(UserEntity, 'u')
      .innerJoin(MembershipEntity, 'm', 'm.userId = u.id AND m.agencyId = :agencyId', { agencyId })
      .orderBy('u.displayName')
      .addOrderBy('u.id')
      .getMany();
  }

  async invite(ctx: Scope, input: InviteUserInput): Promise<InvitationType> {
    const { actor, ability } = ctx.signedIn;
    const manager = await ctx.manager();
    const agency = await manager.findOneBy(AgencyEntity, { id: input.agencyId });
    if (!agency) throw new NotFoundError('Agency', input.agencyId);
    const roles = [...new Set(input.roles)];
    if (!ability.can('invite', peopleOf({ agencyId: agency.id, roles }))) {
      throw new ForbiddenError(
        actor.platformAdmin
          ? "The platform admin invites only an agency's admins"
          : 'You may invite people to your own agency only',
      );
    }
    if (!agency.active) throw new FailedPreconditionError(`${agency.name} is inactive`);
    assertRolesFit(agency.kind, roles, 'input.roles');
    const [member] = await manager.query(
      `SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE u.email = $1 AND m.agency_id = $2 AND m.active AND u.active`,
      [input.email, agency.id],
    );
    if (member) throw new ConflictError(`${input.email} is already an active member of ${agency.name}`);

    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000);
    const { identifiers } = await manager.insert(InvitationEntity, {
      agencyId: agency.id,
      email: input.email,
      displayName: input.displayName,
      roles,
      tokenHash: hashToken(token),
      invitedBy: actor.userId,
      expiresAt,
    });
    const id = String(identifiers[0].id);
    this.audit.record(ctx, { action: 'inviteUser', subjectType: 'Invitation', subjectId: id });
    return { id, email: input.email, agencyId: agency.id, roles, token, expiresAt };
  }

  /**
   * Joins the invitation's agency and signs in for it. A new person sets their password here. A person who
   * already has an account (another agency's member, or a leaver coming back) must give that account's
   * password: the token proves the invitation reached someone, not that they own the account, so it can
   * never replace or bypass the password. The invitation is single use and locked while it is accepted.
   */
  async accept(ctx: Scope, token: string, password: string): Promise<AuthPayloadType> {
    this.passwords.assertAcceptable(password, 'password');
    const manager = await ctx.manager();
    const invitation = await manager
      .createQueryBuilder(InvitationEntity, 'i')
      .where('i.tokenHash = :hash', { hash: hashToken(token) })
      .setLock('pessimistic_write')
      .getOne();
    if (!invitation) throw new BadUserInputError('This invitation is not valid', 'token');
    if (invitation.acceptedAt) throw new BadUserInputError('This invitation has already been used', 'token');
    if (invitation.expiresAt.getTime() <= Date.now()) {
      throw new BadUserInputError('This invitation has expired; ask for a new one', 'token');
    }
    const agency = await manager.findOneByOrFail(AgencyEntity, { id: invitation.agencyId });
    if (!agency.active) throw new FailedPreconditionError(`${agency.name} is inactive`);

    await this.auth.holdAccount(ctx, invitation.email);
    const existing = await manager.findOneBy(UserEntity, { email: invitation.email });
    const userId = existing
      ? (await this.auth.verifyCredentials(ctx, invitation.email, password, { acceptDeactivated: true })).id
      : await this.createUser(manager, invitation, password);
    // A spare invitation to someone already in the agency would undo the roles an admin has set since.
    const [member] = await manager.query(`SELECT 1 FROM membership WHERE user_id = $1 AND agency_id = $2 AND active`, [
      userId,
      invitation.agencyId,
    ]);
    if (member) throw new ConflictError(`You are already a member of ${agency.name}`);
    await manager.query(
      `INSERT INTO membership (user_id, agency_id, roles) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, agency_id) DO UPDATE SET roles = EXCLUDED.roles, active = true`,
      [userId, invitation.agencyId, invitation.roles],
    );
    if (existing && !existing.active) await manager.update(UserEntity, { id: userId }, { active: true });
    await manager.update(InvitationEntity, { id: invitation.id }, { acceptedAt: () => 'now()' });
    this.audit.record(ctx, {
      action: 'acceptInvitation',
      subjectType: 'Invitation',
      subjectId: invitation.id,
      by: { userId, agencyId: invitation.agencyId },
    });
    return this.auth.startSession(ctx, userId, invitation.agencyId);
  }

  async setRoles(ctx: Scope, userId: string, agencyId: string, requested: Role[]): Promise<UserEntity> {
    const { ability } = ctx.signedIn;
    if (!isUuid(userId) || !isUuid(agencyId) || !ability.can('setRoles', peopleOf({ agencyId }))) {
      throw new NotFoundError('User', userId);
    }
    const manager = await ctx.manager();
    const kind = await this.lockAgency(manager, agencyId);
    const membership = await manager.findOneBy(MembershipEntity, { userId, agencyId });
    if (!membership) throw new NotFoundError('User', userId);
    const roles = [...new Set(requested)];
    if (roles.length === 0) throw new BadUserInputError('Give at least one role', 'roles');
    assertRolesFit(kind, roles, 'roles');
    if (membership.active && membership.roles.includes(Role.AGENCY_ADMIN) && !roles.includes(Role.AGENCY_ADMIN)) {
      await this.assertAnotherAdmin(manager, agencyId, userId);
    }
    await manager.update(MembershipEntity, { userId, agencyId }, { roles });
    this.audit.record(ctx, { action: 'setRoles', subjectType: 'User', subjectId: userId });
    return manager.findOneByOrFail(UserEntity, { id: userId });
  }

  /**
   * An agency admin ends the person's membership of the admin's agency; the person stays active while they
   * have another active membership. The platform admin (acting for no agency) deactivates the whole account,
   * for a compromised account or someone who has left every agency. Either way the person's sessions for
   * what was ended are revoked at once. Nobody deactivates themselves: an agency always keeps an admin.
   */
  async deactivate(ctx: Scope, userId: string): Promise<UserEntity> {
    const { actor } = ctx.signedIn;
    if (!isUuid(userId)) throw new NotFoundError('User', userId);
    if (userId === actor.userId) throw new FailedPreconditionError('You cannot deactivate yourself; ask another admin');
    const manager = await ctx.manager();
    const adminOf = adminAgencyOf(actor);
    if (adminOf) {
      await this.lockAgency(manager, adminOf);
      const membership = await manager.findOneBy(MembershipEntity, { userId, agencyId: adminOf });
      if (!membership) throw new NotFoundError('User', userId);
      // Checked under the lock: the caller's own admin membership may have ended while this request waited.
      if (membership.active && membership.roles.includes(Role.AGENCY_ADMIN)) {
        await this.assertAnotherAdmin(manager, adminOf, userId);
      }
      await manager.update(MembershipEntity, { userId, agencyId: adminOf }, { active: false });
      await manager.query(
        `UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND agency_id = $2 AND revoked_at IS NULL`,
        [userId, adminOf],
      );
      await withdrawInvitations(manager, userId, adminOf);
      await manager.query(
        `UPDATE app_user SET active = false
          WHERE id = $1 AND NOT platform_admin
            AND NOT EXISTS (SELECT 1 FROM membership WHERE user_id = $1 AND active)`,
        [userId],
      );
    } else {
      await this.assertNotLastPlatformAdmin(manager, userId);
      const [, ended] = await manager.query(`UPDATE app_user SET active = false WHERE id = $1 RETURNING 1`, [userId]);
      if (!ended) throw new NotFoundError('User', userId);
      await manager.query(`UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [
        userId,
      ]);
      await withdrawInvitations(manager, userId, null);
    }
    this.audit.record(ctx, { action: 'deactivateUser', subjectType: 'User', subjectId: userId });
    return manager.findOneByOrFail(UserEntity, { id: userId });
  }

  /**
   * A person's memberships as the viewer may see them: all of them for the person themself and for the platform
   * admin; otherwise only the membership in the viewer's own agency, since where else someone works is not
   * another agency's business. Batched across every User in the response.
   */
  memberships(ctx: Scope, user: UserType): Promise<MembershipType[]> {
    const actor = ctx.actor;
    const all = Boolean(user.ownView || actor?.userId === user.id || actor?.platformAdmin);
    const agencyId = all ? null : (actor?.membership?.agencyId ?? null);
    if (!all && !agencyId) return Promise.resolve([]);
    return ctx.loaders
      .get(all ? ALL_MEMBERSHIPS : MEMBERSHIP_IN_ACTING_AGENCY, (ids) => this.membershipsOf(ctx, ids, agencyId))
      .load(user.id);
  }

  private async membershipsOf(
    ctx: Scope,
    userIds: readonly string[],
    agencyId: string | null,
  ): Promise<MembershipType[][]> {
    const manager = await ctx.manager();
    const rows: Array<{ user_id: string; agency_id: string; roles: Role[]; active: boolean }> = await manager.query(
      `SELECT m.user_id, m.agency_id, m.roles, m.active
         FROM membership m JOIN agency a ON a.id = m.agency_id
        WHERE m.user_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR m.agency_id = $2)
        ORDER BY a.name, a.id`,
      [userIds, agencyId],
    );
    return userIds.map((id) =>
      rows
        .filter((row) => row.user_id === id)
        .map((row) => ({ agencyId: row.agency_id, roles: row.roles, active: row.active })),
    );
  }

  private async createUser(manager: EntityManager, invitation: InvitationEntity, password: string): Promise<string> {
    const { identifiers } = await manager.insert(UserEntity, {
      email: invitation.email,
      displayName: invitation.displayName,
      passwordHash: await this.passwords.hash(password),
    });
    return String(identifiers[0].id);
  }

  /** Changes to one agency's admins are serialised, so two admins cannot demote each other at once. */
  private async lockAgency(manager: EntityManager, agencyId: string): Promise<AgencyKind> {
    const [agency] = await manager.query(`SELECT kind FROM agency WHERE id = $1 FOR UPDATE`, [agencyId]);
    if (!agency) throw new NotFoundError('Agency', agencyId);
    return agency.kind;
  }

  /**
   * Platform admins are deactivated one at a time, so two cannot deactivate each other at once and leave none
   * (the bootstrap settings create one only while there has never been any).
   */
  private async assertNotLastPlatformAdmin(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('platform-admins'))`);
    const [last] = await manager.query(
      `SELECT 1 FROM app_user WHERE id = $1 AND platform_admin
          AND NOT EXISTS (SELECT 1 FROM app_user WHERE platform_admin AND active AND id <> $1)`,
      [userId],
    );
    if (last) throw new FailedPreconditionError('This is the last active platform admin');
  }

  private async assertAnotherAdmin(manager: EntityManager, agencyId: string, userId: string): Promise<void> {
    const [other] = await manager.query(
      `SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.agency_id = $1 AND m.user_id <> $2 AND m.active AND u.active AND 'AGENCY_ADMIN' = ANY (m.roles)
        LIMIT 1`,
      [agencyId, userId],
    );
    if (!other) {
      throw new FailedPreconditionError("This is the agency's last admin; make someone else admin first");
    }
  }
}

/**
 * A deactivation also ends the invitations still open to the person (in that agency, or in every agency for a
 * whole account), or one issued earlier would bring them straight back. clock_timestamp(), not now(): an
 * invitation committed after this transaction began was still created before this statement runs.
 */
async function withdrawInvitations(manager: EntityManager, userId: string, agencyId: string | null): Promise<void> {
  await manager.query(
    `UPDATE invitation SET expires_at = clock_timestamp()
      WHERE email = (SELECT email FROM app_user WHERE id = $1) AND ($2::uuid IS NULL OR agency_id = $2)
        AND accepted_at IS NULL AND expires_at > clock_timestamp()`,
    [userId, agencyId],
  );
}

function adminAgencyOf(actor: Actor): string | null {
  return actor.membership?.roles.includes(Role.AGENCY_ADMIN) ? actor.membership.agencyId : null;
}

function assertRolesFit(kind: AgencyKind, roles: Role[], field: string): void {
  for (const role of roles) {
    const kinds = ROLE_AGENCY_KINDS[role];
    if (kinds && !kinds.includes(kind)) {
      throw new BadUserInputError(`${role} is a role for ${kinds.join(' or ')} agencies only`, field);
    }
  }
}
