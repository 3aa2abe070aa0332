import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AbilityFactory } from '../access/ability.factory';
import { SessionService } from '../auth/session.service';
import { Database } from '../database/database.service';
import { recordInternalError } from './error-formatter';
import { AppError, UnauthenticatedError } from './errors';
import { RequestContext } from './request-context';

@Injectable()
export class ContextFactory {
  constructor(
    private readonly database: Database,
    private readonly sessions: SessionService,
    private readonly abilities: AbilityFactory,
  ) {}

  async forHttpRequest(request: FastifyRequest): Promise<RequestContext> {
    return this.create(request.headers.authorization, request.ip, String(request.id ?? randomUUID()));
  }

  /**
   * A bearer token that does not resolve to a live session is refused outright, rather than treated as
   * anonymous, so a client learns at once that its sign-in has ended.
   */
  async create(authorization: string | undefined, clientAddress: string, requestId: string): Promise<RequestContext> {
    const unit = this.database.unitOfWork();
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return new RequestContext(requestId, clientAddress, unit, null, undefined);
    try {
      const actor = await this.sessions.actorFor(token, await unit.manager());
      if (!actor) throw sessionEnded();
      return new RequestContext(requestId, clientAddress, unit, actor, this.abilities.forActor(actor));
    } catch (error) {
      // The context is built before Apollo's request plugins run, so an unexpected failure is recorded here.
      if (!(error instanceof AppError)) recordInternalError(error, requestId);
      await unit.rollback();
      throw error;
    }
  }
}

/**
 * Refused before any resolver runs, so the HTTP status says it too: 401, where Apollo answers any failure to
 * build the context with a 500 that monitoring would count as the server's fault.
 */
function sessionEnded(): UnauthenticatedError {
  const error = new UnauthenticatedError('Your session has ended; sign in again');
  Object.assign(error.extensions, { http: { status: 401 } });
  return error;
}
