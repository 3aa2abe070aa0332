import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password resets an admin issues (issuePasswordReset), used once by the person (resetPassword). Only the token's
 * hash is stored, so a copy of the table opens no account.
 */
export class PasswordReset1763801400000 implements MigrationInterface {
  name = 'PasswordReset1763801400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE password_reset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL CONSTRAINT password_reset_user_id_fkey REFERENCES app_user (id),
        token_hash text NOT NULL,
        issued_by uuid NOT NULL CONSTRAINT password_reset_issued_by_fkey REFERENCES app_user (id),
        agency_id uuid CONSTRAINT password_reset_agency_id_fkey REFERENCES agency (id),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT password_reset_check CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX password_reset_token_hash_key ON password_reset (token_hash)`);
    await q.query(`CREATE INDEX password_reset_open_user_idx ON password_reset (user_id) WHERE used_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_reset`);
  }
}
