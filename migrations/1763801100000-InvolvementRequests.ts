import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `('PENDING','ACCEPTED','DECLINED','WITHDRAWN')`;
const BASES = `('PUPIL','OPEN_CASE','INVESTIGATION','REFERRAL','HEALTH_CARE','YOUTH_WORK','SUPERVISION')`;
const KINDS_BEFORE = `'CONFERENCE_INVITATION','REPORT_DUE','CONFERENCE_DECIDED','DEADLINE_APPROACHING','ACTION_OVERDUE',
  'BREAK_GLASS_TO_REVIEW','ACCESS_GRANTED'`;

/**
 * Knowing an identifier opens nothing (DESIGN §4): a registration that finds a known child files an involvement
 * request, which a lead of an involved agency accepts or declines. One pending request per child and agency, so
 * the leads are asked once; a decided request keeps who decided, when and why, and a decline always says why.
 * The identifiers the requester gave wait on the request, and join the record only if it is accepted.
 * The notifications of the request and of its decision are new kinds.
 */
export class InvolvementRequests1763801100000 implements MigrationInterface {
  name = 'InvolvementRequests1763801100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE involvement_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        requesting_agency_id uuid NOT NULL REFERENCES agency (id),
        requested_by uuid NOT NULL REFERENCES app_user (id),
        basis text NOT NULL CHECK (basis IN ${BASES}),
        reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 20 AND 2000),
        identifiers jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(identifiers) = 'array'),
        matched_on text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ${STATUSES}),
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user (id),
        deciding_agency_id uuid REFERENCES agency (id),
        decided_at timestamptz,
        decision_note text CHECK (length(btrim(decision_note)) BETWEEN 1 AND 2000),
        CONSTRAINT involvement_request_decided_check
          CHECK ((status = 'PENDING') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
        CONSTRAINT involvement_request_decline_note_check CHECK (status <> 'DECLINED' OR decision_note IS NOT NULL)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX involvement_request_pending_key ON involvement_request (child_id, requesting_agency_id)
       WHERE status = 'PENDING'`);
    // The requests a decider's agency is asked about start from the child's involvements; the requester's own
    // from its agency.
    await q.query(`CREATE INDEX involvement_request_child_idx ON involvement_request (child_id)`);
    await q.query(`CREATE INDEX involvement_request_agency_idx ON involvement_request (requesting_agency_id)`);
    await q.query(`
      ALTER TABLE notification DROP CONSTRAINT notification_kind_check,
        ADD CONSTRAINT notification_kind_check
            CHECK (kind IN (${KINDS_BEFORE}, 'INVOLVEMENT_REQUESTED', 'INVOLVEMENT_DECIDED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification WHERE kind IN ('INVOLVEMENT_REQUESTED', 'INVOLVEMENT_DECIDED')`);
    await q.query(`
      ALTER TABLE notification DROP CONSTRAINT notification_kind_check,
        ADD CONSTRAINT notification_kind_check CHECK (kind IN (${KINDS_BEFORE}))`);
    await q.query(`DROP TABLE involvement_request`);
  }
}
