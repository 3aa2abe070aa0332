import { MigrationInterface, QueryRunner } from 'typeorm';

/** The fields of an event, in the order its hash has covered them since migration AuditLog. */
const FIELDS = `e.seq, e.lane, e.prev_seq, (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id, e.agency_id,
  e.action, e.subject_type, e.subject_id, e.child_id, e.route, e.purpose, e.break_glass, e.request_id`;

function digest(canonical: string): string {
  return `
    CREATE OR REPLACE FUNCTION audit_event_digest(e audit_event) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT sha256(e.prev_hash || convert_to(${canonical}::text, 'UTF8'))
    $$`;
}

/**
 * A refused attempt on a child record is audited although its transaction rolls back (issue 9, DESIGN §5): it
 * is written after the rollback, in a transaction of its own, with the code it was refused with as its
 * `outcome` (FORBIDDEN, CONFLICT, ...). An event that was done has none.
 *
 * The outcome is part of the event, so its hash covers it: a refusal rewritten into a success breaks the chain.
 * The canonical form gains the outcome only when there is one, so every event hashed before keeps its hash.
 */
export class AuditEventOutcome1763801300000 implements MigrationInterface {
  name = 'AuditEventOutcome1763801300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_event ADD COLUMN outcome text
        CONSTRAINT audit_event_outcome_check CHECK (outcome ~ '^[A-Z][A-Z_]{0,39}$')`);
    await q.query(
      digest(`CASE WHEN e.outcome IS NULL THEN jsonb_build_array(${FIELDS})
                   ELSE jsonb_build_array(${FIELDS}, e.outcome) END`),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(digest(`jsonb_build_array(${FIELDS})`));
    await q.query(`ALTER TABLE audit_event DROP COLUMN outcome`);
  }
}
