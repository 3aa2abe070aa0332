import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { adminAgencyOf, passwordResetRefusal } from '../access/people.decisions';
import type { Scope } from '../access/scope';
import type { UserEntity } from '../agencies/user.entity';
import { AuditLog } from '../audit/log/audit-log.service';
import { BadUserInputError, FailedPreconditionError, ForbiddenError, NotFoundError } from '../common/errors';
import { isUuid } from '../database/postgres';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import type { AuthPayloadType, PasswordResetType } from './auth.types';
import { PasswordService } from './password.service';

/**
 * Long enough for the admin to reach the person the same working day or the next, short enough that a token
 * written down and forgotten soon opens nothing (OWASP Forgot Password Cheat Sheet: reset tokens expire).
 */
const RESET_HOURS = 24;

/**
 * One answer for an unknown, used, expired or withdrawn token and for an account that may no longer be reset:
 * a refusal tells a guesser nothing about which tokens exist. The tokens are 256 random bits, so guessing one
 * is hopeless even before the request rate limit.
 */
const RESET_REFUSED = 'This password reset is not valid; ask your admin for a new one';

/** What is stored of a reset token: a hash, so a copy of the table opens no account. */
const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Password resets: an admin who may manage the person issues one, a single-use token shown once, as an
 * invitation's is; the person sets a new password with it and is signed in. Issuing and using are audited;
 * neither the token nor the password is ever recorded.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditLog,
    private readonly repository: AuthRepository,
  ) {}

  /**
   * An agency admin's reset reaches only the people of its agency (another agency's do not exist for it); the
   * platform admin's, anyone. A newer reset withdraws the earlier ones, so one token at most is open.
   */
  async issue(ctx: Scope, userId: string): Promise<PasswordResetType> {
    const { actor, ability } = ctx.signedIn;
    const agencyId = adminAgencyOf(actor);
    if (!isUuid(userId) || !ability.can('resetPassword', subject('User', { agencyId } as Record<string, unknown>))) {
      throw new NotFoundError('User', userId);
    }
    if (!ability.can('resetPassword', subject('User', { agencyId, userId } as Record<string, unknown>))) {
      throw new ForbiddenError('Nobody resets their own password; change it with your current one');
    }
    const manager = await ctx.manager();
    const person = await this.repository.personOf(manager, userId, agencyId);
    if (!person) throw new NotFoundError('User', userId);
    const refusal = await this.refusal(manager, person, agencyId);
    if (refusal) throw new FailedPreconditionError(refusal);

    await this.repository.withdrawPasswordResets(manager, userId);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + RESET_HOURS * 3600 * 1000);
    const id = await this.repository.insertPasswordReset(manager, {
      userId,
      tokenHash: tokenHash(token),
      issuedBy: actor.userId,
      agencyId,
      expiresAt,
    });
    this.audit.record(ctx, { action: 'issuePasswordReset', subjectType: 'User', subjectId: userId });
    return { id, user: person, token, expiresAt };
  }

  /**
   * Sets the person's password and signs them in (for `agencyId`, as at login, when they act for several
   * agencies). The reset is consumed; every session of the person ends, and so does a sign-in lockout: the
   * person has just proven themselves another way. The account must still be one the issuing admin may reset.
   */
  async use(ctx: Scope, token: string, password: string, agencyId?: string | null): Promise<AuthPayloadType> {
    this.passwords.assertAcceptable(password, 'password');
    const manager = await ctx.manager();
    const reset = await this.repository.passwordResetForUse(manager, tokenHash(token));
    if (!reset || reset.used || reset.expired) throw new BadUserInputError(RESET_REFUSED, 'token');
    const person = await this.repository.user(manager, reset.user_id);
    if (await this.refusal(manager, person, reset.agency_id)) throw new BadUserInputError(RESET_REFUSED, 'token');

    // Takes its turn with sign-ins to the account, so none is checked against the old password meanwhile.
    await this.auth.holdAccount(ctx, person.email);
    await this.repository.markPasswordResetUsed(manager, reset.id);
    await this.auth.setPassword(ctx, person.id, password);
    await this.auth.liftLockout(ctx, person.email);
    const payload = await this.auth.signIn(ctx, person, agencyId);
    this.audit.record(ctx, {
      action: 'resetPassword',
      subjectType: 'User',
      subjectId: person.id,
      by: { userId: person.id, agencyId: payload.session.agency?.id ?? null },
    });
    return payload;
  }

  private async refusal(manager: EntityManager, person: UserEntity, agencyId: string | null): Promise<string | null> {
    const standing = agencyId ? await this.repository.standingIn(manager, person.id, agencyId) : null;
    return passwordResetRefusal(
      person,
      standing && { memberHere: standing.member_here, memberElsewhere: standing.member_elsewhere },
    );
  }
}
