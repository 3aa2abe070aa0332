import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deactivating a person withdraws the invitations still open to their email: find those without a scan. */
export class InvitationEmailIndex1763800700000 implements MigrationInterface {
  name = 'InvitationEmailIndex1763800700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX invitation_open_email_idx ON invitation (email) WHERE accepted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invitation_open_email_idx`);
  }
}
