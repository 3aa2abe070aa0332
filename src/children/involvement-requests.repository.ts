import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/actor';
import { involvementDisclosedByMatching } from '../access/child-record.visibility';
import { decidersOfRequest, decidesRequest, visibleInvolvementRequest } from '../access/involvement-requests.decisions';
import type { AgencyKind } from '../common/enums/agencies';
import type { InvolvementBasis } from '../common/enums/children';
import type { InvolvementRequestStatus, RequestedIdentifier } from './involvement-request.entity';

/** A request as stored, with what a match discloses of its child to the viewer, and whether the viewer decides it. */
export interface InvolvementRequestRow {
  id: string;
  childId: string;
  requestingAgencyId: string;
  requestedById: string;
  basis: InvolvementBasis;
  reason: string;
  identifiers: RequestedIdentifier[];
  matchedOn: string[];
  status: InvolvementRequestStatus;
  requestedAt: Date;
  decidedById: string | null;
  decidingAgencyId: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  initials: string;
  birthYear: number | null;
  involvedAgencyIds: string[];
  decidesIt: boolean;
}

export interface NewInvolvementRequest {
  childId: string;
  requestingAgencyId: string;
  requestedBy: string;
  basis: InvolvementBasis;
  reason: string;
  identifiers: readonly RequestedIdentifier[];
  matchedOn: readonly string[];
}

/** Which requests a viewer lists: all it sees, or those in one status. */
export interface RequestQuery {
  ids?: readonly string[];
  status?: InvolvementRequestStatus | null;
  limit: number;
}

const REQUEST_COLUMNS = `r.id, r.child_id AS "childId", r.requesting_agency_id AS "requestingAgencyId",
  r.requested_by AS "requestedById", r.basis, r.reason, r.identifiers, r.matched_on AS "matchedOn", r.status,
  r.requested_at AS "requestedAt", r.decided_by AS "decidedById", r.deciding_agency_id AS "decidingAgencyId",
  r.decided_at AS "decidedAt", r.decision_note AS "decisionNote"`;

/**
 * The SQL of involvement requests. Every read is for one viewer and applies `visibleInvolvementRequest`
 * (src/access/involvement-requests.decisions.ts): a request the viewer is not party to never leaves the database.
 */
@Injectable()
export class InvolvementRequestsRepository {
  /** Files a request; null when the agency already has one pending for the child (the one to answer instead). */
  async insert(manager: EntityManager, request: NewInvolvementRequest): Promise<string | null> {
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO involvement_request (child_id, requesting_agency_id, requested_by, basis, reason, identifiers,
                                        matched_on)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (child_id, requesting_agency_id) WHERE status = 'PENDING' DO NOTHING
       RETURNING id`,
      [
        request.childId,
        request.requestingAgencyId,
        request.requestedBy,
        request.basis,
        request.reason,
        JSON.stringify(request.identifiers),
        request.matchedOn,
      ],
    );
    return row?.id ?? null;
  }

  /** The agency's pending request for the child, if any. */
  async pendingOf(manager: EntityManager, childId: string, agencyId: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await manager.query(
      `SELECT id FROM involvement_request WHERE child_id = $1 AND requesting_agency_id = $2 AND status = 'PENDING'`,
      [childId, agencyId],
    );
    return row?.id ?? null;
  }

  /**
   * The requests the viewer sees (newest first), each with what matching discloses of its child to an agency of
   * `viewerKind`: initials, birth year, the active involvements it may learn of.
   */
  visible(
    manager: EntityManager,
    actor: Actor,
    viewerKind: AgencyKind,
    query: RequestQuery,
  ): Promise<InvolvementRequestRow[]> {
    const values: unknown[] = [];
    const visible = visibleInvolvementRequest(actor, 'r', values);
    if (!visible) return Promise.resolve([]);
    const decides = decidesRequest(actor, 'r', values);
    const disclosed = involvementDisclosedByMatching(viewerKind, { involvement: 'i', agency: 'g' }, values);
    const where = [visible];
    if (query.ids) {
      values.push(query.ids);
      where.push(`r.id = ANY($${values.length}::uuid[])`);
    }
    if (query.status) {
      values.push(query.status);
      where.push(`r.status = $${values.length}`);
    }
    values.push(query.limit);
    return manager.query(
      `SELECT ${REQUEST_COLUMNS},
              upper(left(c.given_name, 1) || left(c.family_name, 1)) AS initials,
              extract(year FROM c.date_of_birth)::int AS "birthYear",
              ARRAY(SELECT DISTINCT i.agency_id FROM involvement i JOIN agency g ON g.id = i.agency_id
                     WHERE i.child_id = r.child_id AND ${disclosed}) AS "involvedAgencyIds",
              ${decides} AS "decidesIt"
         FROM involvement_request r
         JOIN child c ON c.id = r.child_id
        WHERE ${where.join(' AND ')}
        ORDER BY r.requested_at DESC, r.id
        LIMIT $${values.length}`,
      values,
    );
  }

  /** The agencies whose leads decide the request now. */
  async deciders(manager: EntityManager, requestId: string): Promise<string[]> {
    const values: unknown[] = [];
    const sql = decidersOfRequest(requestId, values);
    const rows: Array<{ agency_id: string }> = await manager.query(sql, values);
    return rows.map((row) => row.agency_id);
  }

  /** Closes a pending request (accepted, declined or withdrawn); false when it was no longer pending. */
  async close(
    manager: EntityManager,
    change: {
      id: string;
      status: InvolvementRequestStatus;
      by: string;
      agencyId: string | null;
      note: string | null;
    },
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH closed AS (
         UPDATE involvement_request
            SET status = $2, decided_by = $3, deciding_agency_id = $4, decision_note = $5, decided_at = now()
          WHERE id = $1 AND status = 'PENDING'
          RETURNING id)
       SELECT id FROM closed`,
      [change.id, change.status, change.by, change.agencyId, change.note],
    );
    return rows.length > 0;
  }

  /** Whether a child with this id exists at all, reached or not: a request names a child by id. */
  async childExists(manager: EntityManager, childId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM child WHERE id = $1`, [childId]);
    return rows.length > 0;
  }
}
