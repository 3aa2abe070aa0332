import { Context, Query, Resolver } from '@nestjs/graphql';
import { Authenticated } from '../../libs/authz/src';
import type { RequestContext } from '../graphql/request-context';
import { SessionType } from './auth.types';
import { AuthService } from './auth.service';

@Resolver(() => SessionType)
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Query(() => SessionType, { description: 'Who is signed in, and for which agency and roles.' })
  @Authenticated()
  me(@Context() ctx: RequestContext): Promise<SessionType> {
    return this.auth.currentSession(ctx);
  }
}
