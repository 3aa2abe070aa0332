import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A platform admin's deactivation (a compromised account, someone barred from the service) is not a leaver
 * whom an agency may invite back: it is marked, so that no agency admin's invitation revives the account and
 * only the platform admin reactivates it. A marked account is never active.
 */
export class PlatformDeactivation1763801000000 implements MigrationInterface {
  name = 'PlatformDeactivation1763801000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN platform_deactivated boolean NOT NULL DEFAULT false`);
    await q.query(
      `ALTER TABLE app_user ADD CONSTRAINT app_user_platform_deactivated_check CHECK (NOT (platform_deactivated AND active))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN platform_deactivated`);
  }
}
