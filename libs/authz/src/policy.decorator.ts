import 'reflect-metadata';
import type { AnyAbility } from '@casl/ability';

export const POLICY_METADATA = 'authz:policy';

/**
 * Decides whether an operation may run at all, from the actor's ability and the operation's arguments.
 * Row-level rules (which records) are applied in SQL by the services; this is the coarse gate in front of them.
 */
export type PolicyHandler = (ability: AnyAbility, args: Record<string, unknown>) => boolean;

export type Policy =
  { kind: 'public' } | { kind: 'authenticated' } | { kind: 'ability'; handler: PolicyHandler; description: string };

/**
 * Records the policy on the method (or, for a class-level default, the class). A second policy on the same target
 * is refused when the code loads: with two, one would silently win and the other would be dead code that reads
 * like a protection.
 */
function declarePolicy(policy: Policy): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor ? (descriptor.value as object) : target;
    if (Reflect.hasOwnMetadata(POLICY_METADATA, holder)) {
      const name = descriptor ? `${target.constructor.name}.${String(key)}` : (target as { name: string }).name;
      throw new Error(`${name} declares more than one authorization policy`);
    }
    Reflect.defineMetadata(POLICY_METADATA, policy, holder);
  };
}

/** Open to anyone, signed in or not (sign-in itself, accepting an invitation). Must be said explicitly. */
export const Public = () => declarePolicy({ kind: 'public' });

/** Any signed-in actor; what they get back is still filtered by their ability. */
export const Authenticated = () => declarePolicy({ kind: 'authenticated' });

/**
 * The actor's ability must allow `action` on `subject`. A function may be given instead for a rule that reads
 * the arguments. Every query, mutation, subscription and field resolver carries one of these three decorators;
 * the app refuses to start if one does not (see policy-coverage.ts).
 */
export function CheckPolicy(action: string, subject: string): MethodDecorator & ClassDecorator;
export function CheckPolicy(handler: PolicyHandler, description: string): MethodDecorator & ClassDecorator;
export function CheckPolicy(first: string | PolicyHandler, second: string): MethodDecorator & ClassDecorator {
  const policy: Policy =
    typeof first === 'string'
      ? { kind: 'ability', handler: (ability) => ability.can(first, second), description: `${first} ${second}` }
      : { kind: 'ability', handler: first, description: second };
  return declarePolicy(policy);
}
