import type DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { AuthorizationContext } from '../../libs/authz/src';
import type { Actor } from '../access/actor';
import type { AppAbility } from '../access/app-ability';
import type { UnitOfWork } from '../database/unit-of-work';
import { UnauthenticatedError } from './errors';

/**
 * Everything one GraphQL request carries: who acts, what they may do, its one transaction, and its DataLoaders.
 * Resolvers pass it to services; nothing is request-scoped in Nest's injector.
 */
export class RequestContext implements AuthorizationContext {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(
    /** Correlates logs and internal-error answers. */
    readonly requestId: string,
    /** The caller's network address, for sign-in throttling. */
    readonly clientAddress: string,
    readonly unit: UnitOfWork,
    readonly actor: Actor | null,
    readonly ability: AppAbility | undefined,
  ) {}

  /** The request's transaction. */
  manager(): Promise<EntityManager> {
    return this.unit.manager();
  }

  /** The signed-in actor; the policy guard has already refused anonymous callers where one is required. */
  get signedIn(): { actor: Actor; ability: AppAbility } {
    if (!this.actor || !this.ability) throw new UnauthenticatedError();
    return { actor: this.actor, ability: this.ability };
  }

  /** One DataLoader per name per request, so a relation is batched across every parent in the response. */
  loader<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = create() as DataLoader<unknown, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}
