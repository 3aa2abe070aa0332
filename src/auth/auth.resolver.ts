import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CheckPolicy, Public } from '../../libs/authz/src';
import { UserType } from '../agencies/agencies.types';
import type { Scope } from '../access/scope';
import { AuthPayloadType, SessionType } from './auth.types';
import { AuthService } from './auth.service';
import { InvitationService } from './invitation.service';

@Resolver(() => SessionType)
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly invitations: InvitationService,
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
