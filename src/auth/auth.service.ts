import { Inject, Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { EntityManager } from 'typeorm';
import { MAX_EMAIL_LENGTH, normaliseEmail } from '../agencies/agencies.inputs';
import type { UserType } from '../agencies/agencies.types';
import { isUuid } from '../database/postgres';
import { AgenciesRepository } from '../agencies/agencies.repository';
import { UserEntity } from '../agencies/user.entity';
import { AuditLog } from '../audit/log/audit-log.service';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { BadUserInputError, NotFoundError, RateLimitedError, UnauthenticatedError } from '../common/errors';
import { adminAgencyOf } from '../access/people.decisions';
import type { Scope } from '../access/scope';
import { ActiveMembership, AuthRepository } from './auth.repository';
import { AuthPayloadType, SessionType } from './auth.types';
import { PasswordService } from './password.service';
import { TokenService } from './token.service';

/**
 * One answer for an unknown email, a wrong password and a deactivated person, so a caller cannot learn which
 * emails have accounts (OWASP Authentication Cheat Sheet).
 */
const SIGN_IN_FAILED = 'The email or password is incorrect';

/**
 * Failed sign-ins counted over a sliding window, per account (the email tried, known or not) and per network
 * address. The address limit is higher because many honest staff can share one office address.
 */
const THROTTLE = { windowSeconds: 15 * 60, perAccount: 5, perAddress: 30 };

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly audit: AuditLog,
    private readonly repository: AuthRepository,
    private readonly agencies: AgenciesRepository,
  ) {}

  async login(ctx: Scope, email: string, password: string, agencyId?: string | null): Promise<AuthPayloadType> {
    return this.signIn(ctx, await this.verifyCredentials(ctx, email, password), agencyId);
  }

  /** Signs in a person who just proved (or set) their password, for the membership they choose. */
  async signIn(ctx: Scope, user: UserEntity, agencyId?: string | null): Promise<AuthPayloadType> {
    const memberships = await this.repository.activeMemberships(await ctx.manager(), user.id);
    return this.startSession(ctx, user.id, this.actingAgency(user, memberships, agencyId));
  }

  /**
   * The person behind an email and password, or the same UNAUTHENTICATED answer for every kind of failure
   * (checkPassword).
   */
  async verifyCredentials(
    ctx: Scope,
    email: string,
    password: string,
    options: { acceptDeactivated?: boolean } = {},
  ): Promise<UserEntity> {
    const user = await this.checkPassword(ctx, email, password, options);
    if (!user) throw new UnauthenticatedError(SIGN_IN_FAILED);
    return user;
  }

  /**
   * A person changes their own password, giving the current one. A wrong current password counts as a failed
   * sign-in and the lockout applies: a stolen session must not be a way to guess the password unthrottled, and
   * then keep the account. Every session of the person ends, this one too, since a stolen copy of this very
   * token would otherwise survive: the answer is a new session for the same membership. An open reset is
   * withdrawn: the person has shown they know their password.
   */
  async changePassword(ctx: Scope, currentPassword: string, newPassword: string): Promise<AuthPayloadType> {
    const { actor } = ctx.signedIn;
    this.passwords.assertAcceptable(newPassword, 'newPassword');
    if (!(await this.checkPassword(ctx, actor.email, currentPassword))) {
      throw new BadUserInputError('The current password is incorrect', 'currentPassword');
    }
    await this.setPassword(ctx, actor.userId, newPassword);
    this.audit.record(ctx, { action: 'changePassword', subjectType: 'User', subjectId: actor.userId });
    return this.startSession(ctx, actor.userId, actor.membership?.agencyId ?? null);
  }

  /**
   * Sets a person's password, ending every session they have (whoever held one must prove the new password)
   * and every reset still open to them.
   */
  async setPassword(ctx: Scope, userId: string, password: string): Promise<void> {
    const manager = await ctx.manager();
    await this.repository.setPasswordHash(manager, userId, await this.passwords.hash(password));
    await this.agencies.revokeSessionsOf(manager, userId, null);
    await this.repository.withdrawPasswordResets(manager, userId);
  }

  /**
   * The person behind an email and password, or null for every kind of failure, recorded as a failed sign-in.
   * Failures are recorded after the request's transaction ends, because a failed mutation is rolled back; until
   * then other sign-ins to the same account (known or not) wait, on every replica, so a burst of parallel
   * guesses is counted one by one and no more than the limit are ever checked.
   * `acceptDeactivated` is for an invitation back into an agency, which may bring a deactivated person back.
   */
  private async checkPassword(
    ctx: Scope,
    rawEmail: string,
    password: string,
    options: { acceptDeactivated?: boolean } = {},
  ): Promise<UserEntity | null> {
    const tried = normaliseEmail(rawEmail);
    // Counted under what the attempts' index can hold; a longer email than any account's still fails the same way.
    const email = tried.slice(0, MAX_EMAIL_LENGTH);
    const manager = await ctx.manager();
    // Once locked out, refused without waiting a turn, so a flood of guesses cannot tie up every connection.
    await this.throttle(manager, email, ctx.clientAddress);
    await this.holdAccount(ctx, email);
    await this.throttle(manager, email, ctx.clientAddress);
    const user = await this.repository.userWithPassword(manager, tried);
    const matches = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !matches || (!user.active && !options.acceptDeactivated)) {
      const address = ctx.clientAddress;
      ctx.unit.afterEnd((after) => this.repository.recordFailure(after, email, address));
      return null;
    }
    // A successful sign-in ends the account's run of failures, so an honest typo now does not lock it later.
    await this.repository.forgetFailures(manager, email);
    return user;
  }

  /**
   * Sign-ins to one email, and invitations that create or join its account, take turns until each request has
   * ended, on every replica: what one records (a failure, a new account) is there before the next one looks.
   */
  holdAccount(ctx: Scope, email: string): Promise<void> {
    return ctx.unit.holdUntilEnd(`account:${email}`);
  }

  /** Opens a session acting for one membership (or none, for a platform admin) and signs its token. */
  async startSession(ctx: Scope, userId: string, agencyId: string | null): Promise<AuthPayloadType> {
    const manager = await ctx.manager();
    const expiresAt = new Date(Date.now() + this.config.tokenTtlSeconds * 1000);
    const sessionId = await this.repository.insertSession(manager, { userId, agencyId, expiresAt });
    const token = await this.tokens.sign(sessionId, userId, expiresAt);
    this.audit.record(ctx, { action: 'login', subjectType: 'Session', subjectId: sessionId, by: { userId, agencyId } });
    return { token, expiresAt, session: await this.sessionOf(manager, userId, agencyId) };
  }

  /**
   * Lifts the lockout of a person the admin manages: their account's failed sign-ins are forgotten, so they may
   * sign in at once. The network address's count stays: it guards against guessing across many accounts.
   */
  async unlock(ctx: Scope, userId: string): Promise<UserEntity> {
    const { actor, ability } = ctx.signedIn;
    const agencyId = adminAgencyOf(actor);
    if (!isUuid(userId) || !ability.can('unlock', subject('User', { agencyId } as Record<string, unknown>))) {
      throw new NotFoundError('User', userId);
    }
    const manager = await ctx.manager();
    const person = await this.repository.personOf(manager, userId, agencyId);
    if (!person) throw new NotFoundError('User', userId);
    await this.liftLockout(ctx, person.email);
    this.audit.record(ctx, { action: 'unlockUser', subjectType: 'User', subjectId: userId });
    return person;
  }

  /** The account's failed sign-ins are forgotten; the network address's count stays (see unlock). */
  async liftLockout(ctx: Scope, email: string): Promise<void> {
    await this.repository.forgetFailures(await ctx.manager(), email);
  }

  /** Ends the caller's session; the very next request with its token is refused. */
  async logout(ctx: Scope): Promise<boolean> {
    const { actor } = ctx.signedIn;
    const manager = await ctx.manager();
    await this.repository.revokeSession(manager, actor.sessionId);
    this.audit.record(ctx, { action: 'logout', subjectType: 'Session', subjectId: actor.sessionId });
    return true;
  }

  async currentSession(ctx: Scope): Promise<SessionType> {
    const { actor } = ctx.signedIn;
    return this.sessionOf(await ctx.manager(), actor.userId, actor.membership?.agencyId ?? null);
  }

  private async sessionOf(manager: EntityManager, userId: string, agencyId: string | null): Promise<SessionType> {
    // Marked as the person's own view: a sign-in answer is read before the caller has a session.
    const user: UserType = { ...(await this.repository.user(manager, userId)), ownView: true };
    if (!agencyId) return { user, agency: null, roles: [] };
    const [agency, roles] = await Promise.all([
      this.repository.agency(manager, agencyId),
      this.repository.membershipRoles(manager, userId, agencyId),
    ]);
    return { user, agency, roles };
  }

  /**
   * A token acts for one membership. A person in several agencies must say which; a platform admin who names
   * none acts as platform admin. Reached only after the password matched, so naming the agencies is safe.
   */
  private actingAgency(user: UserEntity, memberships: ActiveMembership[], agencyId?: string | null): string | null {
    if (agencyId) {
      if (!isUuid(agencyId) || !memberships.some((m) => m.agency_id === agencyId)) {
        throw new BadUserInputError('You are not an active member of that agency', 'agencyId');
      }
      return agencyId;
    }
    if (user.platformAdmin) return null;
    if (memberships.length === 1) return memberships[0].agency_id;
    if (memberships.length === 0) throw new UnauthenticatedError(SIGN_IN_FAILED);
    const choices = memberships.map((m) => `${m.agency_name} (${m.agency_id})`).join(', ');
    // Also as `choices`, so a sign-in page can offer them without reading the message.
    throw new BadUserInputError(
      `You belong to several agencies; choose one with agencyId: ${choices}`,
      'agencyId',
      memberships.map((m) => ({ value: m.agency_id, label: m.agency_name })),
    );
  }

  /**
   * Refuses before the password is even checked, so a locked account gives nothing away to guessing. The answer
   * says when to try again (`retryAt`), so a person locked out is not left guessing when, nor tempted to keep
   * trying and be refused.
   */
  private async throttle(manager: EntityManager, email: string, address: string): Promise<void> {
    const lockout = await this.repository.lockout(manager, email, address, THROTTLE);
    if (!lockout) return;
    const minutes = Math.ceil(lockout.seconds / 60);
    throw new RateLimitedError(
      `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      lockout.seconds,
      lockout.until,
    );
  }
}
