import { MigrationInterface, QueryRunner } from 'typeorm';

const TIERS = `ARRAY['STANDARD','HEALTH_CONFIDENTIAL','POLICE_RESTRICTED']::text[]`;

/**
 * Sharing beyond default access (DESIGN §2, §4): access grants from one agency to another, recorded decisions not
 * to share, break-glass emergency access, and the notifications they raise.
 *
 * The rules that must hold whatever the application does are constraints: a grant names at least one real tier,
 * a purpose of at least a sentence, and lasts at most a year; a break-glass carries a reason and lasts exactly
 * 60 minutes. The GRANTED and BREAK_GLASS access routes read these tables on every request (child-access.ts), so
 * expiry and revocation take effect on the next request.
 */
export class Sharing1763800310000 implements MigrationInterface {
  name = 'Sharing1763800310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        granting_agency_id uuid NOT NULL REFERENCES agency (id),
        granted_by uuid NOT NULL REFERENCES app_user (id),
        grantee_agency_id uuid NOT NULL REFERENCES agency (id),
        tiers text[] NOT NULL CHECK (cardinality(tiers) >= 1 AND tiers <@ ${TIERS}),
        lawful_basis text NOT NULL CHECK (lawful_basis IN ('LEGAL_OBLIGATION','PUBLIC_TASK','VITAL_INTERESTS','CONSENT',
                                                           'SAFEGUARDING_OF_CHILDREN')),
        purpose text NOT NULL CHECK (length(btrim(purpose)) BETWEEN 20 AND 2000),
        granted_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by uuid REFERENCES app_user (id),
        CHECK (grantee_agency_id <> granting_agency_id),
        CHECK (expires_at > granted_at AND expires_at <= granted_at + interval '1 year'),
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL OR revoked_at >= granted_at))
      )`);
    // The GRANTED route: the acting agency's live grants, looked up on every request.
    await q.query(`
      CREATE INDEX access_grant_grantee_idx ON access_grant (grantee_agency_id, child_id) INCLUDE (expires_at, tiers)
      WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX access_grant_child_idx ON access_grant (child_id, granted_at)`);

    // The information-sharing advice asks practitioners to record a decision not to share, and why.
    await q.query(`
      CREATE TABLE access_refusal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        deciding_agency_id uuid NOT NULL REFERENCES agency (id),
        decided_by uuid NOT NULL REFERENCES app_user (id),
        requesting_agency_id uuid NOT NULL REFERENCES agency (id),
        reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 20 AND 2000),
        decided_at timestamptz NOT NULL DEFAULT now(),
        CHECK (requesting_agency_id <> deciding_agency_id)
      )`);
    await q.query(`CREATE INDEX access_refusal_child_idx ON access_refusal (child_id, decided_at)`);

    await q.query(`
      CREATE TABLE break_glass_access (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        user_id uuid NOT NULL REFERENCES app_user (id),
        agency_id uuid NOT NULL REFERENCES agency (id),
        reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 20 AND 2000),
        started_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        reviewed_at timestamptz,
        reviewed_by uuid REFERENCES app_user (id),
        review_outcome text CHECK (length(btrim(review_outcome)) BETWEEN 1 AND 2000),
        CHECK (expires_at = started_at + interval '60 minutes'),
        CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL) AND (reviewed_at IS NULL) = (review_outcome IS NULL)),
        CHECK (reviewed_by IS DISTINCT FROM user_id)
      )`);
    // The BREAK_GLASS route: the actor's own break-glass, looked up on every request.
    await q.query(
      `CREATE INDEX break_glass_user_idx ON break_glass_access (user_id, agency_id, child_id) INCLUDE (expires_at)`,
    );
    await q.query(
      `CREATE INDEX break_glass_unreviewed_agency_idx ON break_glass_access (agency_id) WHERE reviewed_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX break_glass_unreviewed_child_idx ON break_glass_access (child_id) WHERE reviewed_at IS NULL`,
    );

    // Minimal here: one row per person to tell; conference notifications add their own kinds and delivery.
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id),
        kind text NOT NULL CHECK (kind IN ('CONFERENCE_INVITATION','REPORT_DUE','CONFERENCE_DECIDED',
                                           'DEADLINE_APPROACHING','ACTION_OVERDUE','BREAK_GLASS_TO_REVIEW',
                                           'ACCESS_GRANTED')),
        message text NOT NULL CHECK (length(message) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        conference_id uuid,
        child_id uuid REFERENCES child (id)
      )`);
    await q.query(`CREATE INDEX notification_user_idx ON notification (user_id, created_at)`);
    await q.query(`CREATE INDEX notification_unread_idx ON notification (user_id, created_at) WHERE read_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification, break_glass_access, access_refusal, access_grant`);
  }
}
