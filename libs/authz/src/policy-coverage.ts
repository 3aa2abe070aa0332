import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  FIELD_TYPENAME,
  RESOLVER_PROPERTY_METADATA,
  RESOLVER_REFERENCE_METADATA,
  RESOLVER_TYPE_METADATA,
  SUBSCRIPTION_TYPE,
} from '@nestjs/graphql';
import { POLICY_METADATA, Policy } from './policy.decorator';

const ROOT_TYPES = new Set(['Query', 'Mutation', SUBSCRIPTION_TYPE]);

export interface CoverageReport {
  /** Every GraphQL entry point found, as `Class.method`. */
  checked: string[];
  /** The entry points that declare no policy. */
  undeclared: string[];
}

export class UndeclaredPolicyError extends Error {
  override readonly name = 'UndeclaredPolicyError';

  constructor(readonly methods: string[]) {
    super(
      `${methods.length} GraphQL resolver(s) declare no authorization policy: ${methods.join(', ')}. ` +
        'Add @Public(), @Authenticated() or @CheckPolicy(...) to each (libs/authz/src/policy.decorator.ts).',
    );
  }
}

/**
 * Default deny made structural: at start-up, every query, mutation, subscription, field resolver and reference
 * resolver must declare a policy, or the application refuses to start. The guard denies such a resolver at run
 * time as well, but a missing policy is a programming error better found before anyone calls it.
 *
 * A method counts as a resolver exactly when @nestjs/graphql's own explorer would register it (same metadata,
 * same predicate), so nothing the schema exposes escapes the check.
 */
@Injectable()
export class PolicyCoverage implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const { undeclared } = this.report();
    if (undeclared.length > 0) throw new UndeclaredPolicyError(undeclared);
  }

  report(): CoverageReport {
    const checked: string[] = [];
    const undeclared: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const type = instance.constructor as abstract new (...args: never[]) => unknown;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[method];
        if (typeof handler !== 'function' || !this.isResolver(type, handler, method)) continue;
        const name = `${type.name}.${method}`;
        checked.push(name);
        const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY_METADATA, [handler, type]);
        if (!policy) undeclared.push(name);
      }
    }
    return { checked, undeclared };
  }

  /** Mirrors extractMetadata and the filter of @nestjs/graphql's ResolversExplorerService. */
  private isResolver(type: object, handler: object, method: string): boolean {
    // __resolveType runs without guards by design of @nestjs/graphql; it only names a concrete type.
    if (method === FIELD_TYPENAME) return false;
    const resolverType: unknown =
      Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) || Reflect.getMetadata(RESOLVER_TYPE_METADATA, type);
    if (resolverType === undefined) return false;
    const isProperty = Boolean(Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, handler));
    const isReference = Boolean(Reflect.getMetadata(RESOLVER_REFERENCE_METADATA, handler));
    return isProperty || isReference || (typeof resolverType === 'string' && ROOT_TYPES.has(resolverType));
  }
}
