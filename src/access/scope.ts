import type { EntityManager } from 'typeorm';
import type { AuthorizationContext } from '../../libs/authz/src';
import { UnauthenticatedError } from '../common/errors';
import { Loaders } from '../common/loaders';
import type { UnitOfWork } from '../database/unit-of-work';
import type { Actor } from './actor';
import type { AppAbility } from './app-ability';

/**
 * What one piece of work carries, whoever started it (a GraphQL request, a page, a subscription event, a job):
 * who acts and what they may do, its one unit of work, and its DataLoaders. Services take it and nothing from
 * the transport; nothing is request-scoped in Nest's injector.
 */
export class Scope implements AuthorizationContext {
  readonly loaders = new Loaders();

  constructor(
    /** Correlates logs and internal-error answers. */
    readonly requestId: string,
    /** The caller's network address, for sign-in throttling. */
    readonly clientAddress: string,
    readonly unit: UnitOfWork,
    readonly actor: Actor | null,
    readonly ability: AppAbility | undefined,
  ) {}

  /** The unit of work's transaction. */
  manager(): Promise<EntityManager> {
    return this.unit.manager();
  }

  /** The signed-in actor; the policy guard has already refused anonymous callers where one is required. */
  get signedIn(): { actor: Actor; ability: AppAbility } {
    if (!this.actor || !this.ability) throw new UnauthenticatedError();
    return { actor: this.actor, ability: this.ability };
  }
}
