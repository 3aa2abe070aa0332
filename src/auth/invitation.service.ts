import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { InvitationEntity, invitationTokenHash } from '../agencies/invitation.entity';
import { assertRevivable } from '../access/people.decisions';
import { AuditLog } from '../audit/log/audit-log.service';
import { BadUserInputError, ConflictError, FailedPreconditionError } from '../common/errors';
import type { Scope } from '../access/scope';
import { AuthService } from './auth.service';
import type { AuthPayloadType } from './auth.types';
import { PasswordService } from './password.service';

/**
 * Accepting an invitation: a sign-in that joins an agency, and for a new person creates the account. It lives
 * with signing in (the account's turn, its password, the session it starts), and asks the agencies' repository
 * for the invitation and the membership.
 */
@Injectable()
export class InvitationService {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditLog,
    private readonly repository: AgenciesRepository,
  ) {}

  /**
   * Joins the invitation's agency and signs in for it. A new person sets their password here. A person who
   * already has an account (another agency's member, or a leaver coming back) must give that account's
   * password: the token proves the invitation reached someone, not that they own the account, so it can
   * never replace or bypass the password. The invitation is single use and locked while it is accepted.
   */
  async accept(ctx: Scope, token: string, password: string): Promise<AuthPayloadType> {
    this.passwords.assertAcceptable(password, 'password');
    const manager = await ctx.manager();
    const invitation = await this.repository.invitationForAcceptance(manager, invitationTokenHash(token));
    if (!invitation) throw new BadUserInputError('This invitation is not valid', 'token');
    if (invitation.acceptedAt) throw new BadUserInputError('This invitation has already been used', 'token');
    if (invitation.expiresAt.getTime() <= Date.now()) {
      throw new BadUserInputError('This invitation has expired; ask for a new one', 'token');
    }
    const agency = (await this.repository.agency(manager, invitation.agencyId))!;
    if (!agency.active) throw new FailedPreconditionError(`${agency.name} is inactive`);

    await this.auth.holdAccount(ctx, invitation.email);
    const existing = await this.repository.userByEmail(manager, invitation.email);
    const userId = existing
      ? (await this.auth.verifyCredentials(ctx, invitation.email, password, { acceptDeactivated: true })).id
      : await this.createUser(manager, invitation, password);
    // After the password: only the account's owner learns how it stands.
    assertRevivable(existing);
    // A spare invitation to someone already in the agency would undo the roles an admin has set since.
    if (await this.repository.activeMember(manager, userId, invitation.agencyId)) {
      throw new ConflictError(`You are already a member of ${agency.name}`);
    }
    await this.repository.joinAgency(manager, userId, invitation.agencyId, invitation.roles);
    if (existing && !existing.active) await this.repository.reactivateUser(manager, userId);
    await this.repository.markAccepted(manager, invitation.id);
    this.audit.record(ctx, {
      action: 'acceptInvitation',
      subjectType: 'Invitation',
      subjectId: invitation.id,
      by: { userId, agencyId: invitation.agencyId },
    });
    return this.auth.startSession(ctx, userId, invitation.agencyId);
  }

  private async createUser(manager: EntityManager, invitation: InvitationEntity, password: string): Promise<string> {
    return this.repository.insertUser(manager, {
      email: invitation.email,
      displayName: invitation.displayName,
      passwordHash: await this.passwords.hash(password),
    });
  }
}
