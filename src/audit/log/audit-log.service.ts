import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../access/actor';
import type { UnitOfWork } from '../../database/unit-of-work';
import type { DomainError } from '../../common/errors';
import { AccessRoute, viaBreakGlass } from '../../access/child-access';
import { Metrics } from '../../metrics/metrics.service';
import { AuditRepository, NewEvent } from './audit.repository';

/** Where events are recorded: a request's (or a background job's) unit of work, and who acts in it. */
export interface AuditScope {
  readonly unit: UnitOfWork;
  readonly actor: Actor | null;
  readonly requestId?: string;
}

export interface AuditEntry {
  /** What was done: `read` for reading a child's record, otherwise the operation's name (`grantAccess`). */
  action: string;
  /** The kind of record acted on: `Child`, `Concern`, `AccessGrant`, `User`, `ChildMatch`. */
  subjectType: string;
  subjectId?: string | null;
  /** The child whose record this touches, so it appears in the child's audit trail. */
  childId?: string | null;
  route?: AccessRoute | null;
  purpose?: string | null;
  /** Done under break-glass: flagged for review. */
  breakGlass?: boolean;
  /** Who, when it is not the scope's actor (a sign-in records the person it signs in). */
  by?: { userId: string; agencyId: string | null };
}

function eventOf(scope: AuditScope, entry: AuditEntry, outcome: string | null): NewEvent {
  return {
    userId: entry.by?.userId ?? scope.actor?.userId ?? null,
    agencyId: entry.by ? entry.by.agencyId : (scope.actor?.membership?.agencyId ?? null),
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    childId: entry.childId ?? null,
    route: entry.route ?? null,
    purpose: entry.purpose ?? null,
    breakGlass: entry.breakGlass ?? false,
    requestId: scope.requestId ?? null,
    outcome,
  };
}

/** The action recorded for reading a child's record: at most one per child per request (DESIGN §5). */
const READ = 'read';

/**
 * Records audit events in the same transaction as the operation they describe. Events are buffered on the unit
 * of work and appended in ONE multi-row INSERT just before it commits: the database chains them under a lock
 * held from that INSERT to COMMIT (migration AuditLog), so appending last keeps that lock short. If the INSERT
 * fails the transaction fails, and the answer is withheld (unit-of-work plugin): no read without its record.
 */
@Injectable()
export class AuditLog {
  private readonly pending = new WeakMap<UnitOfWork, Map<string, NewEvent>>();
  private readonly flushed = new WeakSet<UnitOfWork>();

  constructor(
    private readonly metrics: Metrics,
    private readonly repository: AuditRepository,
  ) {}

  record(scope: AuditScope, entry: AuditEntry): void {
    if (this.flushed.has(scope.unit)) {
      // A hook registered now would never run: the event would be lost silently.
      throw new Error(`audit event ${entry.action} recorded after the unit of work was flushed`);
    }
    let events = this.pending.get(scope.unit);
    if (!events) {
      const batch = new Map<string, NewEvent>();
      this.pending.set(scope.unit, batch);
      scope.unit.beforeCommit((manager) => this.flush(scope.unit, manager, batch));
      events = batch;
    }
    const isChildRead = entry.action === READ && entry.childId;
    const key = isChildRead ? `read:${entry.childId}` : `#${events.size}`;
    const earlier = events.get(key);
    if (earlier) {
      // The same child read twice in one request (a list and then its concerns) is one read.
      earlier.breakGlass ||= entry.breakGlass ?? false;
      return;
    }
    events.set(key, eventOf(scope, entry, null));
  }

  /**
   * An attempt on a child record that was refused with `refusal` (DESIGN §5: "a refused attempt on a child record
   * even though its transaction rolls back"), so that refusals cannot be used unseen to learn what exists (an
   * identifier that matched, a child that break-glass found). The request's own transaction will roll back with
   * its error, taking its buffered events with it, so this one is written after it ends, in a short transaction
   * of its own on the same connection (the embedded database has only one: a second connection would wait for
   * the first forever), with the refusal's code as its outcome. It is a different thing from an AccessRefusal,
   * which is an agency's recorded decision not to share.
   */
  recordRefused(scope: AuditScope, entry: AuditEntry, refusal: DomainError): void {
    if (scope.unit.hasEnded) throw new Error(`refused ${entry.action} recorded after the unit of work ended`);
    const event = eventOf(scope, entry, refusal.code);
    scope.unit.afterEnd((manager) => this.repository.append(manager, [event]));
  }

  /**
   * A read of a child's record through `route`: one event per child per request; break-glass reads are flagged.
   * No route: what was read about the child came without one (a break-glass reason shown to an agency admin).
   */
  recordRead(scope: AuditScope, childId: string, route: AccessRoute | null): void {
    this.record(scope, {
      action: READ,
      subjectType: 'Child',
      subjectId: childId,
      childId,
      route,
      breakGlass: viaBreakGlass(route),
    });
  }

  private async flush(unit: UnitOfWork, manager: EntityManager, batch: Map<string, NewEvent>): Promise<void> {
    this.flushed.add(unit);
    const events = [...batch.values()];
    if (events.length === 0) return;
    // Includes the wait for the chain lane's lock, where concurrent requests queue behind each other.
    const timed = this.metrics.auditWriteDuration.startTimer();
    const insert = this.repository.append(manager, events);
    await insert.finally(timed);
  }
}
