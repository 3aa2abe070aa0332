import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config';
import { Listen, listenOnServer } from './listener';
import { PreparingClient } from './preparing-client';
import { SnakeNamingStrategy } from './snake-naming.strategy';

const MIGRATIONS = join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

export interface DatabaseHandle {
  options: DataSourceOptions;
  /** Releases what the options hold beyond the DataSource itself (the embedded PGlite instance). */
  close(): Promise<void>;
}

/** Each embedded database's listen(), by the `extra` its DataSource options carry. */
const embeddedListeners = new WeakMap<object, Listen>();

/**
 * PGlite is PostgreSQL compiled to WebAssembly; its own node-postgres adapter lets TypeORM's `pg` driver talk to it
 * in-process (see STACK-NOTES: not the typeorm-pglite package, which shares one session across connections).
 */
async function embedded(dataDir: string): Promise<{ extra: object; close(): Promise<void> }> {
  const [{ PGlite }, { createPgConfig }, { fuzzystrmatch }, { pg_trgm }, { unaccent }, { uuid_ossp }] =
    await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/node-postgres'),
      import('@electric-sql/pglite/contrib/fuzzystrmatch'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('@electric-sql/pglite/contrib/unaccent'),
      import('@electric-sql/pglite/contrib/uuid_ossp'),
    ]);
  const pglite = await PGlite.create({ dataDir, extensions: { fuzzystrmatch, pg_trgm, unaccent, uuid_ossp } });
  const extra = createPgConfig(pglite);
  // PGlite is one session in this process: its own listen() hears NOTIFY issued through the pg adapter, at commit.
  embeddedListeners.set(extra, async (channel, onPayload) => {
    const stop = await pglite.listen(channel, onPayload);
    return () => stop();
  });
  return { extra, close: () => pglite.close() };
}

/**
 * The server-side limits of config `databaseTimeouts`, as node-postgres sends them when a connection starts, so
 * every pooled connection has them from its first statement. Only for the app: a migration (an index built on a
 * large table) may rightly run longer. Not on the embedded database: PGlite ignores statement_timeout (a
 * pg_sleep(1) under a 200 ms limit sleeps its second), and once an idle_in_transaction_session_timeout passes
 * inside a transaction its one session hangs for good, spinning, instead of ending.
 */
function sessionLimits({ databaseTimeouts }: DatabaseConfig): Record<string, number> {
  return {
    statement_timeout: databaseTimeouts.statementMs,
    idle_in_transaction_session_timeout: databaseTimeouts.idleInTransactionMs,
  };
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
    options: {
      ...common,
      url,
      poolSize: config.databasePoolSize,
      extra: {
        application_name: `safeguard-${purpose}`,
        ...(purpose === 'app' ? { ...sessionLimits(config), Client: PreparingClient } : {}),
      },
    },
    close: async () => undefined,
  };
}

/**
 * How the app's database is heard (src/live): LISTEN on a connection of its own to the server, as the app's role;
 * on the embedded database, PGlite's own listen(), in the one process it serves.
 */
export function listenerFor(config: DatabaseConfig, options: DataSourceOptions): Listen {
  if (config.databaseUrl) return listenOnServer(config.databaseUrl, 'safeguard-app-listener');
  const listen = options.extra ? embeddedListeners.get(options.extra as object) : undefined;
  if (!listen) throw new Error('no listener for a database that was not opened by openDatabase');
  return listen;
}
