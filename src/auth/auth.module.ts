import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContextFactory } from '../graphql/context.factory';
import { AgencyEntity } from '../agencies/agency.entity';
import { InvitationEntity } from '../agencies/invitation.entity';
import { MembershipEntity } from '../agencies/membership.entity';
import { UserEntity } from '../agencies/user.entity';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { LoginAttemptEntity } from './login-attempt.entity';
import { SessionEntity } from './session.entity';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      SessionEntity,
      LoginAttemptEntity,
      AgencyEntity,
      UserEntity,
      MembershipEntity,
      InvitationEntity,
    ]),
  ],
  providers: [TokenService, SessionService, ContextFactory, AuthService, AuthResolver],
  exports: [TokenService, SessionService, ContextFactory],
})
export class AuthModule {}
