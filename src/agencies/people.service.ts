import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  adminAgencyOf,
  assertRevivable,
  assertRolesFit,
  endsAdminship,
  rolesFitting,
} from '../access/people.decisions';
import { AuditLog } from '../audit/log/audit-log.service';
import {
  BadUserInputError,
  ConflictError,
  FailedPreconditionError,
  ForbiddenError,
  NotFoundError,
} from '../common/errors';
import type { Scope } from '../access/scope';
import type { AgencyKind, Role } from '../common/enums/agencies';
import type { InviteUserInput } from './agencies.inputs';
import { AgenciesRepository } from './agencies.repository';
import type { InvitationType, MembershipType, UserType } from './agencies.types';
import { invitationTokenHash } from './invitation.entity';
import { isUuid } from '../database/postgres';
import type { UserEntity } from './user.entity';

const ALL_MEMBERSHIPS = new LoaderKey<string, MembershipType[]>("a person's memberships");
const MEMBERSHIP_IN_ACTING_AGENCY = new LoaderKey<string, MembershipType[]>(
  "a person's membership of the acting agency",
);

const INVITATION_DAYS = 7;

/**
 * The CASL subject for managing people: the agency they belong to and, when inviting, the roles granted; when
 * setting roles, whose.
 */
const peopleOf = (conditions: { agencyId: string; roles?: Role[]; userId?: string }) =>
  subject('User', conditions as Record<string, unknown>);

/**
 * Inviting people into agencies (accepting is signing in: auth/invitation.service.ts), their roles there, and
 * deactivating them. Every change to an agency's people
 * takes effect on the affected person's very next request, because sessions are re-read per request.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: AgenciesRepository,
  ) {}

  /** An agency's people, active or not. Another agency's people do not exist for an agency admin. */
  async list(ctx: Scope, agencyId: string): Promise<UserEntity[]> {
    if (!isUuid(agencyId) || !ctx.signedIn.ability.can('read', peopleOf({ agencyId }))) {
      throw new NotFoundError('Agency', agencyId);
    }
    return this.repository.peopleOf(await ctx.manager(), agencyId);
  }

  /**
   * The roles the actor may give the agency's people, by invitation or by setting roles: those its kind may hold
   * that the actor's rules let it grant there. None for an agency whose people it does not manage.
   */
  givableRoles(ctx: Scope, agency: { id: string; kind: AgencyKind }): Role[] {
    const { ability } = ctx.signedIn;
    return rolesFitting(agency.kind).filter((role) =>
      ability.can('invite', peopleOf({ agencyId: agency.id, roles: [role] })),
    );
  }

  async invite(ctx: Scope, input: InviteUserInput): Promise<InvitationType> {
    const { actor, ability } = ctx.signedIn;
    const manager = await ctx.manager();
    const agency = await this.repository.agency(manager, input.agencyId);
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
    assertRevivable(await this.repository.userByEmail(manager, input.email));
    if (await this.repository.activeMemberByEmail(manager, input.email, agency.id)) {
      throw new ConflictError(`${input.email} is already an active member of ${agency.name}`);
    }

    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000);
    const id = await this.repository.insertInvitation(manager, {
      agencyId: agency.id,
      email: input.email,
      displayName: input.displayName,
      roles,
      tokenHash: invitationTokenHash(token),
      invitedBy: actor.userId,
      expiresAt,
    });
    this.audit.record(ctx, { action: 'inviteUser', subjectType: 'Invitation', subjectId: id });
    return { id, email: input.email, agencyId: agency.id, roles, token, expiresAt };
  }

  async setRoles(ctx: Scope, userId: string, agencyId: string, requested: Role[]): Promise<UserEntity> {
    const { ability } = ctx.signedIn;
    if (!isUuid(userId) || !isUuid(agencyId) || !ability.can('setRoles', peopleOf({ agencyId }))) {
      throw new NotFoundError('User', userId);
    }
    if (!ability.can('setRoles', peopleOf({ agencyId, userId }))) {
      throw new ForbiddenError('Nobody changes their own roles; ask another admin of the agency');
    }
    const manager = await ctx.manager();
    const kind = await this.lockAgency(manager, agencyId);
    const membership = await this.repository.membership(manager, userId, agencyId);
    if (!membership) throw new NotFoundError('User', userId);
    const roles = [...new Set(requested)];
    if (roles.length === 0) throw new BadUserInputError('Give at least one role', 'roles');
    assertRolesFit(kind, roles, 'roles');
    if (endsAdminship(membership, roles)) await this.assertAnotherAdmin(manager, agencyId, userId);
    await this.repository.setRoles(manager, userId, agencyId, roles);
    this.audit.record(ctx, { action: 'setRoles', subjectType: 'User', subjectId: userId });
    return this.repository.user(manager, userId);
  }

  /**
   * An agency admin ends the person's membership of the admin's agency; the person stays active while they
   * have another active membership. The platform admin (acting for no agency) deactivates the whole account,
   * for a compromised account or someone barred from the service: every membership ends, and no agency's
   * invitation brings the account back (only reactivate does). Either way the person's sessions for
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
      const membership = await this.repository.membership(manager, userId, adminOf);
      if (!membership) throw new NotFoundError('User', userId);
      // Checked under the lock: the caller's own admin membership may have ended while this request waited.
      if (endsAdminship(membership)) await this.assertAnotherAdmin(manager, adminOf, userId);
      await this.repository.endMembership(manager, userId, adminOf);
      await this.repository.revokeSessionsOf(manager, userId, adminOf);
      await this.repository.withdrawInvitations(manager, userId, adminOf);
      await this.repository.deactivateIfNoMembership(manager, userId);
    } else {
      if (await this.repository.lastPlatformAdmin(manager, userId)) {
        throw new FailedPreconditionError('This is the last active platform admin');
      }
      if (!(await this.repository.deactivateUser(manager, userId))) throw new NotFoundError('User', userId);
      await this.repository.revokeSessionsOf(manager, userId, null);
      await this.repository.withdrawInvitations(manager, userId, null);
    }
    this.audit.record(ctx, { action: 'deactivateUser', subjectType: 'User', subjectId: userId });
    return this.repository.user(manager, userId);
  }

  /**
   * The platform admin lifts its own deactivation of an account. The memberships it ended stay ended: the
   * person comes back into an agency only by that agency's new invitation, with the roles it gives then.
   */
  async reactivate(ctx: Scope, userId: string): Promise<UserEntity> {
    if (!ctx.signedIn.ability.can('reactivate', 'User')) throw new ForbiddenError();
    if (!isUuid(userId)) throw new NotFoundError('User', userId);
    const manager = await ctx.manager();
    if (!(await this.repository.liftPlatformDeactivation(manager, userId))) {
      if (!(await this.repository.userById(manager, userId))) throw new NotFoundError('User', userId);
      throw new FailedPreconditionError('This account was not deactivated by the platform admin');
    }
    this.audit.record(ctx, { action: 'reactivateUser', subjectType: 'User', subjectId: userId });
    return this.repository.user(manager, userId);
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
    const rows = await this.repository.membershipsOf(await ctx.manager(), userIds, agencyId);
    return userIds.map((id) =>
      rows
        .filter((row) => row.user_id === id)
        .map((row) => ({ agencyId: row.agency_id, roles: row.roles, active: row.active })),
    );
  }

  /** Changes to one agency's admins are serialised, so two admins cannot demote each other at once. */
  private async lockAgency(manager: EntityManager, agencyId: string): Promise<AgencyKind> {
    const kind = await this.repository.lockAgency(manager, agencyId);
    if (!kind) throw new NotFoundError('Agency', agencyId);
    return kind;
  }

  private async assertAnotherAdmin(manager: EntityManager, agencyId: string, userId: string): Promise<void> {
    if (!(await this.repository.anotherAdmin(manager, agencyId, userId))) {
      throw new FailedPreconditionError("This is the agency's last admin; make someone else admin first");
    }
  }
}
