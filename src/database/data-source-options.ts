import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

const MIGRATIONS = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

export interface DatabaseHandle {
  options: DataSourceOptions;
  /** Releases what the options hold beyond the DataSource itself (the embedded PGlite instance). */
  close(): Promise<void>;
}

/**
 * PGlite is PostgreSQL compiled to WebAssembly; its own node-postgres adapter lets TypeORM's `pg` driver talk to it
 * in-process (see STACK-NOTES: not the typeorm-pglite package, which shares one session across connections).
 */
async function embedded(dataDir: string): Promise<{ extra: object; close(): Promise<void> }> {
  const [{ PGlite }, { createPgConfig }, { pg_trgm }, { uuid_ossp }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/node-postgres'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/uuid_ossp'),
  ]);
  const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm, uuid_ossp } });
  return { extra: createPgConfig(pglite), close: () => pglite.close() };
}

/**
 * One definition of the database for the app, the migration runner and the TypeORM CLI.
 * `purpose` picks the role: migrations run as the schema owner, the app as its restricted role.
 */
export async function openDatabase(
  config: DatabaseConfig,
  purpose: 'app' | 'migrations',
  entities: DataSourceOptions['entities'] = [],
): Promise<DatabaseHandle> {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: [MIGRATIONS],
    migrationsTableName: 'schema_migration',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
  };
  const url = purpose === 'migrations' ? config.migrationsDatabaseUrl : config.databaseUrl;
  if (!url) {
    const { extra, close } = await embedded(join(config.dataDir, 'pglite'));
    return { options: { ...common, extra }, close };
  }
  return {
    options: { ...common, url, poolSize: config.databasePoolSize, extra: { application_name: `safeguard-${purpose}` } },
    close: async () => undefined,
  };
}
