import { AbilityBuilder, createMongoAbility, MongoAbility } from '@casl/ability';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Authenticated, CheckPolicy, Public } from './policy.decorator';
import { AuthzErrors, PolicyGuard } from './policy.guard';

class Refused extends Error {}

const errors: AuthzErrors = {
  unauthenticated: () => new Refused('UNAUTHENTICATED'),
  forbidden: () => new Refused('FORBIDDEN'),
  undeclared: (handler) => new Refused(`UNDECLARED ${handler}`),
};

class AgencyResolver {
  @Public()
  signIn(): void {}

  @Authenticated()
  me(): void {}

  @CheckPolicy('create', 'Agency')
  createAgency(): void {}

  @CheckPolicy((ability, args) => ability.can('invite', 'User') && args.role !== 'PLATFORM_ADMIN', 'invite a user')
  invite(): void {}

  forgotten(): void {}
}

function platformAdmin(): MongoAbility {
  const rules = new AbilityBuilder<MongoAbility>(createMongoAbility);
  rules.can('create', 'Agency');
  rules.can('invite', 'User');
  return rules.build();
}

const practitioner = () => createMongoAbility([]);

/** Runs the guard as @nestjs/graphql would for one resolver call: (root, args, context, info). */
function call(method: keyof AgencyResolver, ability?: MongoAbility, args: Record<string, unknown> = {}): boolean {
  const context = new ExecutionContextHost(
    [undefined, args, { ability }, {}],
    AgencyResolver,
    AgencyResolver.prototype[method],
  );
  context.setType('graphql');
  return new PolicyGuard(new Reflector(), errors).canActivate(context);
}

describe('the policy guard', () => {
  it('lets anyone through a public resolver', () => {
    expect(call('signIn')).toBe(true);
  });

  it('asks a signed-out caller to sign in for anything else', () => {
    expect(() => call('me')).toThrow('UNAUTHENTICATED');
    expect(() => call('createAgency')).toThrow('UNAUTHENTICATED');
  });

  it('lets any signed-in actor through an authenticated resolver', () => {
    expect(call('me', practitioner())).toBe(true);
  });

  it('forbids an actor whose ability does not allow the declared action', () => {
    expect(call('createAgency', platformAdmin())).toBe(true);
    expect(() => call('createAgency', practitioner())).toThrow('FORBIDDEN');
  });

  it('gives a policy function the arguments of the call', () => {
    expect(call('invite', platformAdmin(), { role: 'AGENCY_ADMIN' })).toBe(true);
    expect(() => call('invite', platformAdmin(), { role: 'PLATFORM_ADMIN' })).toThrow('FORBIDDEN');
  });

  it('denies a resolver that declares no policy, whoever calls it', () => {
    expect(() => call('forgotten', platformAdmin())).toThrow('UNDECLARED AgencyResolver.forgotten');
  });
});
