// `npm run migration:run:prod` (and `migration:run`): applies pending migrations as the schema owner and exits,
// as a deployment step of its own before the replicas start. It needs only the owner's connection
// (MIGRATIONS_DATABASE_URL, or DATABASE_URL): no signing secret, nothing the running service needs.
import 'reflect-metadata';
import { loadDatabaseConfig, loadOrExit } from '../config/config';
import { createLogger } from '../logging/logger';
import { openDatabase } from './data-source-options';
import { runMigrations } from './migrations';

async function migrate(): Promise<void> {
  const config = loadOrExit(() => loadDatabaseConfig());
  const log = createLogger(config).child({ context: 'Migrations' });
  const owner = await openDatabase(config, 'migrations');
  try {
    const applied = await runMigrations(owner.options);
    log.info({ applied: applied.map((migration) => migration.name) }, `applied ${applied.length} migration(s)`);
  } catch (error) {
    log.fatal({ err: error }, 'the migrations failed');
    process.exitCode = 1;
  } finally {
    await owner.close();
  }
}

void migrate();
