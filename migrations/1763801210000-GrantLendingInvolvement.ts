import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A grant lends what the granting agency holds through one involvement with the child, and lapses when that
 * involvement ends. It used to be live while the agency had any active involvement, so a grant that had lapsed
 * came back to life, unreviewed and with its old purpose, when the agency was involved again months later (a
 * child back at the same school, a new police investigation). Each grant now names the involvement it lends.
 *
 * Existing grants are given the involvement the agency had when it granted: the one active then, or else the
 * latest created before the grant (which had ended, so the grant stays lapsed). A grant with none opens nothing.
 */
export class GrantLendingInvolvement1763801210000 implements MigrationInterface {
  name = 'GrantLendingInvolvement1763801210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_grant ADD COLUMN lending_involvement_id uuid REFERENCES involvement (id)`);
    await q.query(`
      UPDATE access_grant g
         SET lending_involvement_id = (
               SELECT i.id
                 FROM involvement i
                WHERE i.child_id = g.child_id AND i.agency_id = g.granting_agency_id AND i.created_at <= g.granted_at
                ORDER BY (i.until IS NULL OR i.until > g.granted_at::date) DESC, i.created_at DESC
                LIMIT 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_grant DROP COLUMN lending_involvement_id`);
  }
}
