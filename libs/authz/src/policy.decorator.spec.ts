import { Reflector } from '@nestjs/core';
import { Authenticated, CheckPolicy, Policy, POLICY_METADATA, Public } from './policy.decorator';

describe('policy declarations', () => {
  it('refuse a second policy on the same resolver, so none can silently override another', () => {
    expect(() => {
      class Resolver {
        @Public()
        @CheckPolicy('read', 'Child')
        child(): void {}
      }
      return Resolver;
    }).toThrow('Resolver.child declares more than one authorization policy');
  });

  it('let a method narrow the default its class declares', () => {
    @Authenticated()
    class Resolver {
      @CheckPolicy('create', 'Agency')
      createAgency(): void {}

      agencies(): void {}
    }
    const policyOf = (method: () => void) =>
      new Reflector().getAllAndOverride<Policy>(POLICY_METADATA, [method, Resolver]);

    expect(policyOf(Resolver.prototype.createAgency)).toMatchObject({ kind: 'ability', description: 'create Agency' });
    expect(policyOf(Resolver.prototype.agencies)).toEqual({ kind: 'authenticated' });
  });
});
