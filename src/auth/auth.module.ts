import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module';
import { AuthRepository } from './auth.repository';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { InvitationService } from './invitation.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { LoginAttemptEntity } from './login-attempt.entity';
import { PasswordResetEntity } from './password-reset.entity';
import { PasswordResetService } from './password-reset.service';
import { PasswordService } from './password.service';
import { SessionEntity } from './session.entity';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity, LoginAttemptEntity, PasswordResetEntity]), AgenciesModule],
  providers: [
    AuthRepository,
    TokenService,
    SessionService,
    PasswordService,
    AuthService,
    InvitationService,
    PasswordResetService,
    AuthResolver,
    BootstrapAdminService,
  ],
  exports: [AuthRepository, TokenService, SessionService, PasswordService, AuthService],
})
export class AuthModule {}
