import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A break-glass is reviewed by each agency whose record was opened, not once by whoever gets there first: a
 * colleague of the person who broke glass could close the single review, and the agencies holding the record
 * never saw it. One row per reviewing agency, fixed when the glass is broken (an involvement that ends later does
 * not excuse the review); the reviewer must be a member of that agency. A person who breaks glass on the same
 * child again while an earlier use of theirs is unreviewed is flagged, as that is the pattern a review looks for.
 *
 * Existing uses get a row for each agency involved when they began; a review already closed counts only for the
 * agency its reviewer belongs to, so uses closed by the user's own agency come back to the record holders.
 */
export class BreakGlassReview1763800900000 implements MigrationInterface {
  name = 'BreakGlassReview1763800900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE break_glass_review (
        break_glass_id uuid NOT NULL REFERENCES break_glass_access (id),
        agency_id uuid NOT NULL REFERENCES agency (id),
        reviewed_by uuid REFERENCES app_user (id),
        reviewed_at timestamptz,
        outcome text CHECK (length(btrim(outcome)) BETWEEN 1 AND 2000),
        PRIMARY KEY (break_glass_id, agency_id),
        FOREIGN KEY (reviewed_by, agency_id) REFERENCES membership (user_id, agency_id),
        CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL) AND (reviewed_at IS NULL) = (outcome IS NULL))
      )`);
    // An agency's review list: the uses still waiting for it.
    await q.query(
      `CREATE INDEX break_glass_review_pending_idx ON break_glass_review (agency_id) WHERE reviewed_at IS NULL`,
    );
    await q.query(`ALTER TABLE break_glass_access ADD COLUMN repeat_while_unreviewed boolean NOT NULL DEFAULT false`);

    await q.query(`
      INSERT INTO break_glass_review (break_glass_id, agency_id, reviewed_by, reviewed_at, outcome)
      SELECT DISTINCT b.id, i.agency_id, m.user_id, CASE WHEN m.user_id IS NOT NULL THEN b.reviewed_at END,
             CASE WHEN m.user_id IS NOT NULL THEN b.review_outcome END
        FROM break_glass_access b
        JOIN involvement i ON i.child_id = b.child_id AND i.agency_id <> b.agency_id
                          AND i.since <= b.started_at::date AND (i.until IS NULL OR i.until > b.started_at::date)
        LEFT JOIN membership m ON m.user_id = b.reviewed_by AND m.agency_id = i.agency_id`);
    // A record no other agency held is answered for by the user's own agency, or no one would review it.
    await q.query(`
      INSERT INTO break_glass_review (break_glass_id, agency_id, reviewed_by, reviewed_at, outcome)
      SELECT b.id, b.agency_id, m.user_id, CASE WHEN m.user_id IS NOT NULL THEN b.reviewed_at END,
             CASE WHEN m.user_id IS NOT NULL THEN b.review_outcome END
        FROM break_glass_access b
        LEFT JOIN membership m ON m.user_id = b.reviewed_by AND m.agency_id = b.agency_id
       WHERE NOT EXISTS (SELECT 1 FROM break_glass_review r WHERE r.break_glass_id = b.id)`);

    await q.query(`DROP INDEX break_glass_unreviewed_agency_idx, break_glass_unreviewed_child_idx`);
    // Its staff's uses, for an agency that answers for them.
    await q.query(`CREATE INDEX break_glass_agency_idx ON break_glass_access (agency_id)`);
    await q.query(`
      ALTER TABLE break_glass_access
        DROP CONSTRAINT break_glass_access_check1, DROP CONSTRAINT break_glass_access_check2,
        DROP COLUMN reviewed_at, DROP COLUMN reviewed_by, DROP COLUMN review_outcome`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX break_glass_agency_idx`);
    await q.query(`
      ALTER TABLE break_glass_access
        ADD COLUMN reviewed_at timestamptz, ADD COLUMN reviewed_by uuid REFERENCES app_user (id),
        ADD COLUMN review_outcome text CHECK (length(btrim(review_outcome)) BETWEEN 1 AND 2000)`);
    // One review per use again: the first one closed.
    await q.query(`
      UPDATE break_glass_access b SET reviewed_at = r.reviewed_at, reviewed_by = r.reviewed_by, review_outcome = r.outcome
        FROM (SELECT DISTINCT ON (break_glass_id) * FROM break_glass_review WHERE reviewed_at IS NOT NULL
               ORDER BY break_glass_id, reviewed_at) r
       WHERE r.break_glass_id = b.id`);
    await q.query(`
      ALTER TABLE break_glass_access
        ADD CONSTRAINT break_glass_access_check1
            CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL) AND (reviewed_at IS NULL) = (review_outcome IS NULL)),
        ADD CONSTRAINT break_glass_access_check2 CHECK (reviewed_by IS DISTINCT FROM user_id),
        DROP COLUMN repeat_while_unreviewed`);
    await q.query(
      `CREATE INDEX break_glass_unreviewed_agency_idx ON break_glass_access (agency_id) WHERE reviewed_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX break_glass_unreviewed_child_idx ON break_glass_access (child_id) WHERE reviewed_at IS NULL`,
    );
    await q.query(`DROP TABLE break_glass_review`);
  }
}
