import { DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { AuthzErrors, AuthzModule } from '../libs/authz/src';
import { AccessModule } from './access/access.module';
import { AgenciesModule } from './agencies/agencies.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { NotificationsModule } from './notifications/notifications.module';
import { SharingModule } from './sharing/sharing.module';
import { ChildrenModule } from './children/children.module';
import { ChronologyModule } from './chronology/chronology.module';
import { NrmModule } from './nrm/nrm.module';
import { StatisticsModule } from './statistics/statistics.module';
import { ConferencesModule } from './conferences/conferences.module';
import { NonPunishmentModule } from './non-punishment/non-punishment.module';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DemoModule } from './demo/demo.module';
import { ForbiddenError, UnauthenticatedError } from './common/errors';
import { GraphqlModule } from './graphql/graphql.module';
import { GraphiqlModule } from './graphql/graphiql/graphiql.controller';
import { InputValidationPipe } from './graphql/validation.pipe';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LiveModule } from './live/live.module';
import { MetricsModule } from './metrics/metrics.module';
import { WebModule } from './web/web.module';

const authzErrors: AuthzErrors = {
  unauthenticated: () => new UnauthenticatedError(),
  forbidden: () => new ForbiddenError(),
  undeclared: (handler) => new Error(`${handler} declares no authorization policy`),
};

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        JobsModule,
        LiveModule,
        MetricsModule,
        AuthzModule.forRoot(authzErrors),
        AccessModule,
        AuditModule,
        NotificationsModule,
        SharingModule,
        AuthModule,
        AgenciesModule,
        ChildrenModule,
        ChronologyModule,
        NrmModule,
        StatisticsModule,
        ConferencesModule,
        NonPunishmentModule,
        DemoModule,
        GraphqlModule,
        HealthModule,
        ...(config.env === 'development' ? [GraphiqlModule] : []),
        // Last: its catch-all "Page not found" route must not shadow another module's.
        WebModule,
      ],
      providers: [{ provide: APP_PIPE, useClass: InputValidationPipe }],
    };
  }
}
