import { Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { openDatabase } from './data-source-options';
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
  providers: [Database],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    // The pool must drain before the embedded database under it closes.
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    for (const close of openHandles.splice(0)) await close();
  }
}
