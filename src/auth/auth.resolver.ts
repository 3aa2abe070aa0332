import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CheckPolicy, Public } from '../../libs/authz/src';
import { UserType } from '../agencies/agencies.types';
import type { Scope } from '../access/scope';
import { AuthPayloadType, PasswordResetType, SessionType } from './auth.types';
import { AuthService } from './auth.service';
import { InvitationService } from './invitation.service';
import { PasswordResetService } from './password-reset.service';

@Resolver(() => SessionType)
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly invitations: InvitationService,
    private readonly resets: PasswordResetService,
  ) {}

  @Query(() => SessionType, { description: 'Who is signed in, and for which agency and roles.' })
  @Authenticated()
  me(@Context() ctx: Scope): Promise<SessionType> {
    return this.auth.currentSession(ctx);
  }

  @Mutation(() => AuthPayloadType, {
    description: 'Signs in for one agency membership; agencyId is required for a person in several agencies.',
  })
  @Public()
  login(
    @Context() ctx: Scope,
    @Args('email') email: string,
    @Args('password') password: string,
    @Args('agencyId', { type: () => ID, nullable: true }) agencyId?: string | null,
  ): Promise<AuthPayloadType> {
    return this.auth.login(ctx, email, password, agencyId);
  }

  @Mutation(() => Boolean, { description: 'Ends this session; its token is refused from the next request on.' })
  @Authenticated()
  logout(@Context() ctx: Scope): Promise<boolean> {
    return this.auth.logout(ctx);
  }

  @Mutation(() => UserType, {
    description:
      "Lifts a person's sign-in lockout (RATE_LIMITED after too many failed sign-ins): an agency admin for its people, the platform admin for anyone.",
  })
  @CheckPolicy('unlock', 'User')
  unlockUser(@Context() ctx: Scope, @Args('userId', { type: () => ID }) userId: string): Promise<UserType> {
    return this.auth.unlock(ctx, userId);
  }

  @Mutation(() => AuthPayloadType, {
    description:
      'Changes your password. A wrong currentPassword is BAD_USER_INPUT and counts as a failed sign-in (RATE_LIMITED once locked out). Every session of yours ends, this one too: use the token in the answer.',
  })
  @Authenticated()
  changePassword(
    @Context() ctx: Scope,
    @Args('currentPassword') currentPassword: string,
    @Args('newPassword') newPassword: string,
  ): Promise<AuthPayloadType> {
    return this.auth.changePassword(ctx, currentPassword, newPassword);
  }

  @Mutation(() => PasswordResetType, {
    description:
      "Issues a single-use password reset for a person: an agency admin for its agency's people (only for an account that is the agency's alone), the platform admin for anyone; never for yourself. The answer carries the token, shown only this once; it expires in 24 hours and replaces any earlier one.",
  })
  @CheckPolicy('resetPassword', 'User')
  issuePasswordReset(
    @Context() ctx: Scope,
    @Args('userId', { type: () => ID }) userId: string,
  ): Promise<PasswordResetType> {
    return this.resets.issue(ctx, userId);
  }

  @Mutation(() => AuthPayloadType, {
    description:
      'Sets a new password with a reset token and signs in (agencyId as for login). Ends every session the person had, and any sign-in lockout; the token works once. Any refused token (unknown, used, expired, replaced) gets the same BAD_USER_INPUT.',
  })
  @Public()
  resetPassword(
    @Context() ctx: Scope,
    @Args('token') token: string,
    @Args('password') password: string,
    @Args('agencyId', { type: () => ID, nullable: true }) agencyId?: string | null,
  ): Promise<AuthPayloadType> {
    return this.resets.use(ctx, token, password, agencyId);
  }

  @Mutation(() => AuthPayloadType, {
    description: 'Joins the agency and signs in for it. An existing account must give its current password.',
  })
  @Public()
  acceptInvitation(
    @Context() ctx: Scope,
    @Args('token') token: string,
    @Args('password') password: string,
  ): Promise<AuthPayloadType> {
    return this.invitations.accept(ctx, token, password);
  }
}
