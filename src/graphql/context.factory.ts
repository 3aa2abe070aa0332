import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { GraphQLError } from 'graphql';
import { AbilityFactory } from '../access/ability.factory';
import type { Actor } from '../access/actor';
import { SessionService } from '../auth/session.service';
import { Database } from '../database/database.service';
import type { UnitOfWork } from '../database/unit-of-work';
import { recordInternalError } from './error-formatter';
import { DomainError, UnauthenticatedError } from '../common/errors';
import { toGraphQLError } from './errors';
import { Scope } from '../access/scope';

const log = new Logger('UnitOfWork');

@Injectable()
export class ContextFactory {
  /** The unit of work of each HTTP request whose context was built, for `endWith`. */
  private readonly units = new WeakMap<FastifyRequest, UnitOfWork>();

  constructor(
    private readonly database: Database,
    private readonly sessions: SessionService,
    private readonly abilities: AbilityFactory,
  ) {}

  /**
   * A page (src/web) passes its session cookie's token as `authorization`: its operations then run in a unit of
   * work this request's backstop ends, under the page request's id and the browser's address, as an API call.
   */
  async forHttpRequest(request: FastifyRequest, authorization = request.headers.authorization): Promise<Scope> {
    const context = await this.create(authorization, request.ip, String(request.id ?? randomUUID()));
    this.units.set(request, context.unit);
    return context;
  }

  /**
   * Called once a request's answer is on its way, whatever path led there. Apollo's request pipeline ends the
   * unit (unitOfWorkPlugin) only for requests that reach it: one refused while Apollo reads the body (a batch,
   * `variables` as a string, an empty object) never does. Such a unit opened no transaction, as the context
   * opens none, and is closed here so nothing can open one for a finished request. A unit still open here with
   * a transaction is a fault: rolled back and reported.
   */
  async endWith(request: FastifyRequest): Promise<void> {
    const unit = this.units.get(request);
    if (!unit || unit.hasEnded) return;
    const requestId = String(request.id);
    if (unit.opened) log.warn({ requestId }, 'request ended holding its transaction; rolled back');
    try {
      await unit.rollback();
    } catch (error) {
      log.error({ requestId, err: error }, 'rollback of an abandoned transaction failed');
    }
  }

  /**
   * A bearer token that does not resolve to a live session is refused outright, rather than treated as
   * anonymous, so a client learns at once that its sign-in has ended.
   *
   * The session is looked up before the request's unit of work exists, on a pooled connection of its own, so
   * no request holds a transaction until a resolver needs one: a request refused before execution never opens
   * one. On the embedded database (one connection) this lookup simply waits its turn behind other requests'
   * transactions; none of them waits for it.
   */
  async create(authorization: string | undefined, clientAddress: string, requestId: string): Promise<Scope> {
    const token = bearerToken(authorization);
    const actor = token ? await this.authenticate(token, requestId) : null;
    return new Scope(
      requestId,
      clientAddress,
      this.database.unitOfWork(),
      actor,
      actor ? this.abilities.forActor(actor) : undefined,
    );
  }

  /**
   * A fresh Scope for one piece of a subscription's work (its start, then each event it delivers), with its own
   * unit of work, so each is checked, read and audited as a request would be; null once the session behind the
   * token has ended (logout, password change, deactivation), when the subscriber is to hear nothing more.
   */
  async forSubscription(authorization: string, clientAddress: string): Promise<Scope | null> {
    const token = bearerToken(authorization);
    const actor = token ? await this.sessions.actorFor(token, this.database.dataSource.manager) : null;
    if (!actor) return null;
    return new Scope(randomUUID(), clientAddress, this.database.unitOfWork(), actor, this.abilities.forActor(actor));
  }

  private async authenticate(token: string, requestId: string): Promise<Actor> {
    try {
      const actor = await this.sessions.actorFor(token, this.database.dataSource.manager);
      if (!actor) throw sessionEnded();
      return actor;
    } catch (error) {
      // The context is built before Apollo's request plugins run, so an unexpected failure is recorded here.
      if (!(error instanceof DomainError)) recordInternalError(error, requestId);
      throw error;
    }
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

/**
 * Refused before any resolver runs, so the HTTP status says it too: 401, where Apollo answers any failure to
 * build the context with a 500 that monitoring would count as the server's fault.
 */
function sessionEnded(): GraphQLError {
  return toGraphQLError(new UnauthenticatedError('Your session has ended; sign in again'), { status: 401 });
}
