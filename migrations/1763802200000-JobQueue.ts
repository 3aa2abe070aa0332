import { getConstructionPlans } from 'pg-boss';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where pg-boss keeps its queues and jobs (src/jobs/job-queue.ts starts it on the same schema). */
const SCHEMA = 'pgboss';

/**
 * The statements that build pg-boss's schema, without the transaction pg-boss wraps them in: a migration already
 * runs in one, and a COMMIT inside it would end that transaction before TypeORM records the migration. Its
 * session limits go with it (an idle_in_transaction_session_timeout hangs the embedded database's one session).
 * Checked rather than assumed, so a pg-boss whose plans change shape fails here and not halfway through.
 */
function constructionStatements(): string {
  const plans = getConstructionPlans(SCHEMA);
  const begin = plans.indexOf('BEGIN;');
  const body = plans.indexOf(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA};`);
  const commit = plans.lastIndexOf('COMMIT;');
  if (begin < 0 || body < begin || commit < body || plans.slice(commit + 'COMMIT;'.length).trim()) {
    throw new Error('pg-boss construction plans are not one BEGIN ... COMMIT block');
  }
  return plans.slice(body, commit);
}

/**
 * The durable job queue (pg-boss) that reminders run on (DESIGN §8: jobs in a PostgreSQL-backed queue). Its schema
 * is built here, by the schema owner, because the application's role has no DDL (README "Database roles and the
 * audit log"): pg-boss starts with its own migrations off, and a later pg-boss whose schema version moves needs a
 * migration of ours running `getMigrationPlans`. The application may read and write the queue's tables, as pg-boss
 * needs to, and run its functions (as PUBLIC may), and nothing more.
 */
export class JobQueue1763802200000 implements MigrationInterface {
  name = 'JobQueue1763802200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(constructionStatements());
    await q.query(`GRANT USAGE ON SCHEMA ${SCHEMA} TO safeguard_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${SCHEMA} TO safeguard_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${SCHEMA} TO safeguard_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  }
}
