import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins are kept a day (long enough to look into an attack, well past the 15-minute throttle window)
 * and pruned a bounded batch at a time as new failures arrive; this index lets the pruning find the oldest rows
 * without reading the table.
 */
export class LoginAttemptPruning1763800100000 implements MigrationInterface {
  name = 'LoginAttemptPruning1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX login_attempt_attempted_at_idx ON login_attempt (attempted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX login_attempt_attempted_at_idx`);
  }
}
