import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { PolicyCoverage } from './policy-coverage';
import { AUTHZ_ERRORS, AuthzErrors, PolicyGuard } from './policy.guard';

/**
 * The authorization mechanics in one import: the global PolicyGuard in front of every resolver (and, with
 * `fieldResolverEnhancers: ['guards']`, every field resolver) and the start-up check that each resolver declares
 * a policy. The application supplies its own error classes, so this library stays free of its error codes.
 */
@Module({})
export class AuthzModule {
  static forRoot(errors: AuthzErrors): DynamicModule {
    return {
      module: AuthzModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: AUTHZ_ERRORS, useValue: errors },
        { provide: APP_GUARD, useClass: PolicyGuard },
        PolicyCoverage,
      ],
      exports: [AUTHZ_ERRORS, PolicyCoverage],
    };
  }
}
