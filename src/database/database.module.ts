import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig, ConfigError } from '../config/config';
import { roleVoidingAudit } from './application-role';
import { listenerFor, openDatabase } from './data-source-options';
import { Database } from './database.service';
import { runMigrations } from './migrations';

/** What the embedded database holds open beyond TypeORM's pool; closed after the DataSource at shutdown. */
const openHandles: Array<() => Promise<void>> = [];

/**
 * Applies pending migrations as the schema owner before the app connects: under a lock, so replicas may start
 * together, and on a connection of their own that has none of the app's statement limits, even when one
 * DATABASE_URL serves both. The embedded database is one process's own, with one connection: the app's own
 * handle runs them.
 */
async function applicationOptions(config: AppConfig): Promise<TypeOrmModuleOptions> {
  const app = await openDatabase(config, 'app');
  openHandles.push(app.close);
  const owner = config.databaseUrl ? await openDatabase(config, 'migrations') : app;
  try {
    const applied = await runMigrations(owner.options);
    if (applied.length) new Logger('Database').log(`applied ${applied.length} migration(s) as the schema owner`);
  } finally {
    if (owner !== app) await owner.close();
  }
  return { ...app.options, autoLoadEntities: true, retryAttempts: 0 } as TypeOrmModuleOptions;
}

@Global()
@Module({
  imports: [TypeOrmModule.forRootAsync({ inject: [APP_CONFIG], useFactory: applicationOptions })],
  providers: [
    {
      provide: Database,
      inject: [DataSource, APP_CONFIG],
      useFactory: (dataSource: DataSource, config: AppConfig) =>
        new Database(dataSource, listenerFor(config, dataSource.options)),
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Before anything else starts (the first admin, the demo seed): production refuses a role that voids the audit
   * log's protections; elsewhere a warning, so a developer's own server still serves. Not on the embedded
   * database, whose one connection is its superuser's.
   */
  async onModuleInit(): Promise<void> {
    if (!this.config.databaseUrl) return;
    const problem = await roleVoidingAudit(this.dataSource);
    if (!problem) return;
    if (this.config.env === 'production') throw new ConfigError(problem);
    new Logger('Database').warn(problem);
  }

  async onApplicationShutdown(): Promise<void> {
    // The pool must drain before the embedded database under it closes.
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    for (const close of openHandles.splice(0)) await close();
  }
}
