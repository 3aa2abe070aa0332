import { DataSource, DataSourceOptions, Migration, MigrationExecutor } from 'typeorm';

/**
 * The advisory lock key migrations run under. Outside the 32-bit range of `hashtext`, which keys the other
 * session locks (sign-in throttling), so no account's key can ever collide with it.
 */
const MIGRATIONS_LOCK = 7_630_000_001;

/**
 * Applies pending migrations, one transaction each, while holding a session-level advisory lock on the same
 * connection. Replicas started together on an empty database would otherwise race in the first migration
 * (`CREATE EXTENSION IF NOT EXISTS` is not safe against a concurrent twin: one fails on pg_extension's unique
 * index); with the lock the second waits for the first and then finds nothing pending. The lock is per
 * database and ends with the session, so a runner that dies lets the next one in.
 */
export async function runMigrations(options: DataSourceOptions): Promise<Migration[]> {
  const source = await new DataSource(options).initialize();
  const runner = source.createQueryRunner();
  try {
    await runner.query(`SELECT pg_advisory_lock($1)`, [MIGRATIONS_LOCK]);
    const unlock = () => runner.query(`SELECT pg_advisory_unlock($1)`, [MIGRATIONS_LOCK]);
    let applied: Migration[];
    try {
      const executor = new MigrationExecutor(source, runner);
      executor.transaction = 'each';
      applied = await executor.executePendingMigrations();
    } catch (error) {
      // The migration's own error is the one to report; a session too broken to unlock has lost the lock anyway.
      await unlock().catch(() => undefined);
      throw error;
    }
    // Unlocked explicitly, not left to the session's end: the embedded database keeps its one session open
    // for the application.
    await unlock();
    return applied;
  } finally {
    await runner.release();
    await source.destroy();
  }
}
