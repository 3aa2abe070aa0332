import { Injectable, Module, Scope } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { Field, Mutation, ObjectType, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuthzModule } from './authz.module';
import { PolicyCoverage, UndeclaredPolicyError } from './policy-coverage';
import { Authenticated, CheckPolicy, Public } from './policy.decorator';

const errors = {
  unauthenticated: () => new Error('unauthenticated'),
  forbidden: () => new Error('forbidden'),
  undeclared: (handler: string) => new Error(handler),
};

@ObjectType()
class Widget {
  @Field()
  name!: string;
}

@Resolver(() => Widget)
class WidgetResolver {
  @Query(() => [Widget])
  @Authenticated()
  widgets(): Widget[] {
    return [];
  }

  @Mutation(() => Widget)
  @CheckPolicy('create', 'Widget')
  createWidget(): Widget {
    return { name: 'new' };
  }

  @Query(() => Widget)
  forgottenWidget(): Widget {
    return { name: 'forgotten' };
  }

  @ResolveField(() => String)
  secret(): string {
    return 'secret';
  }

  /** Not a resolver: plain methods need no policy. */
  helper(): string {
    return 'helper';
  }
}

/** A class-level policy covers every resolver method of the class. */
@Resolver(() => Widget)
@Public()
class OpenWidgetResolver {
  @ResolveField(() => String)
  label(): string {
    return 'label';
  }
}

/** Request-scoped resolvers have no instance at start-up, only their prototype: they are checked all the same. */
@Resolver(() => Widget)
@Injectable({ scope: Scope.REQUEST })
class PerRequestWidgetResolver {
  @Query(() => Widget)
  perRequestWidget(): Widget {
    return { name: 'per request' };
  }
}

@Injectable()
class NotAResolver {
  widgets(): string[] {
    return [];
  }
}

function appWith(...providers: (new (...args: never[]) => unknown)[]): Promise<TestingModule> {
  @Module({ providers })
  class FeatureModule {}
  return Test.createTestingModule({ imports: [AuthzModule.forRoot(errors), FeatureModule] }).compile();
}

async function coverageOf(...providers: (new (...args: never[]) => unknown)[]): Promise<PolicyCoverage> {
  return (await appWith(...providers)).get(PolicyCoverage);
}

describe('policy coverage', () => {
  it('names every query, mutation and field resolver that declares no policy', async () => {
    const coverage = await coverageOf(WidgetResolver, OpenWidgetResolver, PerRequestWidgetResolver, NotAResolver);

    expect(coverage.report()).toEqual({
      checked: expect.arrayContaining([
        'WidgetResolver.widgets',
        'WidgetResolver.createWidget',
        'WidgetResolver.forgottenWidget',
        'WidgetResolver.secret',
        'OpenWidgetResolver.label',
        'PerRequestWidgetResolver.perRequestWidget',
      ]),
      undeclared: [
        'WidgetResolver.forgottenWidget',
        'WidgetResolver.secret',
        'PerRequestWidgetResolver.perRequestWidget',
      ],
    });
    expect(coverage.report().checked).toHaveLength(6);
  });

  it('refuses to start an application with an undeclared resolver, naming it', async () => {
    const app = await appWith(WidgetResolver);

    const starting = app.init();

    await expect(starting).rejects.toThrow(UndeclaredPolicyError);
    await expect(starting).rejects.toThrow(/WidgetResolver\.forgottenWidget, WidgetResolver\.secret/);
  });

  it('starts when every resolver declares a policy', async () => {
    const app = await appWith(OpenWidgetResolver, NotAResolver);

    await app.init();
    expect(app.get(PolicyCoverage).report()).toEqual({ checked: ['OpenWidgetResolver.label'], undeclared: [] });
  });
});
