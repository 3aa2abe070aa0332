import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../graphql/request-context';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { SessionType } from './auth.types';

@Injectable()
export class AuthService {
  async currentSession(ctx: RequestContext): Promise<SessionType> {
    const { actor } = ctx.signedIn;
    const manager = await ctx.manager();
    const user = await manager.findOneByOrFail(UserEntity, { id: actor.userId });
    const agency = actor.membership
      ? await manager.findOneByOrFail(AgencyEntity, { id: actor.membership.agencyId })
      : null;
    return { user, agency, roles: actor.membership?.roles ?? [] };
  }
}
