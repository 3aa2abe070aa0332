import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessRoute } from '../../access/child-access';
import type { AgencyKind } from '../../common/enums/agencies';

/** One event as listed, with the person and agency it names. */
export interface EventRow {
  seq: string;
  at: Date;
  action: string;
  subject_type: string;
  subject_id: string | null;
  child_id: string | null;
  route: AccessRoute | null;
  break_glass: boolean;
  outcome: string | null;
  hash: Buffer;
  user_id: string | null;
  user_email: string | null;
  user_display_name: string | null;
  user_active: boolean | null;
  user_platform_admin: boolean | null;
  user_platform_deactivated: boolean | null;
  agency_id: string | null;
  agency_name: string | null;
  agency_kind: AgencyKind | null;
  agency_local_authority: string | null;
  agency_first_responder: boolean | null;
  agency_active: boolean | null;
}

/** One event as the chain walk sees it: its link to its lane's previous event, and whether its hash holds. */
export interface ChainRow {
  seq: string;
  lane: number;
  prev_seq: string | null;
  prev_hash: Buffer;
  hash: Buffer;
  intact: boolean;
}

/** An event to append; the database draws its seq and chains it (migration AuditLog). */
export interface NewEvent {
  userId: string | null;
  agencyId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  childId: string | null;
  route: AccessRoute | null;
  purpose: string | null;
  breakGlass: boolean;
  requestId: string | null;
  /** The code of a refused attempt; null for what was done. */
  outcome: string | null;
}

/** Names each walk's cursor uniquely: two verifications may share one request's transaction. */
let walks = 0;

/** The SQL of the audit log: appending events, listing them newest first, and walking the chain. */
@Injectable()
export class AuditRepository {
  /** Appends the events in ONE multi-row INSERT: the chain lane's lock is then held from it to COMMIT only. */
  async append(manager: EntityManager, events: readonly NewEvent[]): Promise<void> {
    const column = <K extends keyof NewEvent>(key: K) => events.map((event) => event[key]);
    await manager.query(
      `INSERT INTO audit_event
              (user_id, agency_id, action, subject_type, subject_id, child_id, route, purpose, break_glass, request_id,
               outcome)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                            $8::text[], $9::boolean[], $10::text[], $11::text[])`,
      [
        column('userId'),
        column('agencyId'),
        column('action'),
        column('subjectType'),
        column('subjectId'),
        column('childId'),
        column('route'),
        column('purpose'),
        column('breakGlass'),
        column('requestId'),
        column('outcome'),
      ],
    );
  }

  /**
   * Up to `limit` events matching `where` (a condition on `e` from src/access, its values in `values`), newest
   * first, older than `before` when given (keyset on seq).
   */
  events(
    manager: EntityManager,
    where: string,
    values: readonly unknown[],
    page: { before: string | null; limit: number },
  ): Promise<EventRow[]> {
    const n = values.length;
    return manager.query(
      `SELECT e.seq, e.at, e.action, e.subject_type, e.subject_id, e.child_id, e.route, e.break_glass, e.outcome, e.hash,
              u.id AS user_id, u.email AS user_email, u.display_name AS user_display_name,
              u.active AS user_active, u.platform_admin AS user_platform_admin,
              u.platform_deactivated AS user_platform_deactivated,
              a.id AS agency_id, a.name AS agency_name, a.kind AS agency_kind,
              a.local_authority AS agency_local_authority, a.first_responder AS agency_first_responder,
              a.active AS agency_active
         FROM audit_event e
         LEFT JOIN app_user u ON u.id = e.user_id
         LEFT JOIN agency a ON a.id = e.agency_id
        WHERE ${where} AND ($${n + 1}::bigint IS NULL OR e.seq < $${n + 1}::bigint)
        ORDER BY e.seq DESC
        LIMIT $${n + 2}`,
      [...values, page.before, page.limit],
    );
  }

  /** Whether the person has ever belonged to the agency (active or not). */
  async everMember(manager: EntityManager, userId: string, agencyId: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM membership WHERE user_id = $1 AND agency_id = $2`, [
      userId,
      agencyId,
    ]);
    return rows.length > 0;
  }

  /**
   * The whole log in seq order, `batch` rows at a time, fetched from one cursor so the walk reads one snapshot
   * with bounded memory. The cursor is closed when the walk ends, also when it stops early.
   */
  async *chain(manager: EntityManager, batch: number): AsyncGenerator<ChainRow[]> {
    const cursor = `audit_chain_walk_${++walks}`;
    await manager.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR
         SELECT e.seq, e.lane, e.prev_seq, e.prev_hash, e.hash, audit_event_digest(e) = e.hash AS intact
           FROM audit_event e ORDER BY e.seq`,
    );
    try {
      for (;;) {
        const rows: ChainRow[] = await manager.query(`FETCH ${batch} FROM ${cursor}`);
        yield rows;
        if (rows.length < batch) return;
      }
    } finally {
      await manager.query(`CLOSE ${cursor}`);
    }
  }
}
