import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { AnyAbility } from '@casl/ability';
import { POLICY_METADATA, Policy } from './policy.decorator';

/** What the GraphQL context must offer the guard: the ability of the signed-in actor, absent when signed out. */
export interface AuthorizationContext {
  ability?: AnyAbility;
}

export interface AuthzErrors {
  unauthenticated(): Error;
  forbidden(): Error;
  /** A resolver without a declared policy: a programming error, answered as an internal error. */
  undeclared(handler: string): Error;
}

export const AUTHZ_ERRORS = Symbol('AUTHZ_ERRORS');

/**
 * Default deny: a GraphQL resolver runs only when its declared policy allows it. Registered globally and, with
 * `fieldResolverEnhancers: ['guards']`, also in front of every field resolver.
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHZ_ERRORS) private readonly errors: AuthzErrors,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) throw this.errors.undeclared(`${context.getClass().name}.${context.getHandler().name}`);
    if (policy.kind === 'public') return true;
    const gql = GqlExecutionContext.create(context);
    const ability = gql.getContext<AuthorizationContext>().ability;
    if (!ability) throw this.errors.unauthenticated();
    if (policy.kind === 'authenticated') return true;
    if (!policy.handler(ability, gql.getArgs())) throw this.errors.forbidden();
    return true;
  }
}
