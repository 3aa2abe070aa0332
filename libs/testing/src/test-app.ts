import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../src/app.module';
import { AppConfig, loadConfig } from '../../../src/config/config';
import { createHttpAdapter } from '../../../src/http-adapter';
import { createLogger, PinoLoggerService } from '../../../src/logging/logger';
import { Factories } from './factories';
import { GraphQLClient } from './graphql-client';
import { createTestDatabase, onServer, TEST_SERVER_URL, TestDatabase } from './test-database';

/** The LOGIN role the app connects as in tests: a member of `safeguard_app`, like a deployment's (README). */
const TEST_APP_ROLE = 'safeguard_app_test';
/** A schema owner that is no superuser, like a deployment's `safeguard_owner` (deploy/postgres/init). */
const TEST_OWNER_ROLE = 'safeguard_owner_test';

let appRoleReady: Promise<void> | undefined;

/**
 * Roles are cluster-wide and test files start in parallel: the roles are created once, idempotently, under a
 * lock on the server (migrations create `safeguard_app` the same way; this only has to exist first).
 */
function ensureAppRole(): Promise<void> {
  appRoleReady ??= (async () => {
    const client = new Client({ connectionString: TEST_SERVER_URL });
    await client.connect();
    try {
      await client.query(`SELECT pg_advisory_lock(hashtext('safeguard test roles'))`);
      await client.query(`
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'safeguard_app') THEN
            CREATE ROLE safeguard_app NOLOGIN;
          END IF;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_APP_ROLE}') THEN
            CREATE ROLE ${TEST_APP_ROLE} LOGIN IN ROLE safeguard_app;
          END IF;
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEST_OWNER_ROLE}') THEN
            CREATE ROLE ${TEST_OWNER_ROLE} LOGIN CREATEROLE;
          END IF;
        END $$`);
    } finally {
      await client.end();
    }
  })();
  return appRoleReady;
}

function asRole(database: TestDatabase, role: string): string {
  const url = new URL(database.url);
  url.username = role;
  return url.toString();
}

/** The database's URL as the app's restricted role, as a deployment's DATABASE_URL. */
export async function appRoleUrl(database: TestDatabase): Promise<string> {
  await ensureAppRole();
  return asRole(database, TEST_APP_ROLE);
}

/** Hands the (still empty) database to an owner that is no superuser, and returns the URL that connects as it. */
export async function ownerRoleUrl(database: TestDatabase): Promise<string> {
  await ensureAppRole();
  await onServer((client) => client.query(`ALTER DATABASE ${database.name} OWNER TO ${TEST_OWNER_ROLE}`));
  return asRole(database, TEST_OWNER_ROLE);
}

export interface TestAppOptions {
  /** Extra environment, e.g. BOOTSTRAP_ADMIN_EMAIL; NODE_ENV defaults to test. */
  env?: NodeJS.ProcessEnv;
  /** Runs after the app is built and before it starts, e.g. to add a route that exercises a framework hook. */
  beforeListen?: (nest: NestFastifyApplication) => void;
  /**
   * Another replica of this app's service: the same database and settings (a token one issues, the other
   * accepts). Stop it before the app it copies, which drops the database.
   */
  replicaOf?: TestApp;
  /** A database the test made (and drops), for apps that share one, instead of a fresh one of the app's own. */
  database?: TestDatabase;
  /** Where the app writes its JSON log lines, as in production (Fastify's request lines included). */
  log?: DestinationStream;
}

/**
 * The real application on its own fresh PostgreSQL database, listening on a free port. One per test file:
 * `const app = await TestApp.start()` in beforeAll, `await app.stop()` in afterAll.
 */
export class TestApp {
  private constructor(
    readonly nest: INestApplication,
    readonly config: AppConfig,
    readonly database: TestDatabase,
    readonly baseUrl: string,
    readonly factories: Factories,
    private readonly ownsDatabase: boolean,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const { replicaOf } = options;
    const database = await (replicaOf?.database ?? options.database ?? createTestDatabase());
    const ownsDatabase = !replicaOf && !options.database;
    // As in production: migrations run as the owner, the app as a role that may only append to the audit log.
    const appUrl = await appRoleUrl(database);
    const config =
      replicaOf?.config ??
      loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: appUrl,
        MIGRATIONS_DATABASE_URL: database.url,
        JWT_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
        // Job workers poll the queue every few seconds: only the suites about jobs opt in, so the others neither
        // pay for it nor count its statements as theirs.
        JOBS_WORKERS: 'false',
        ...options.env,
      });
    const logger = options.log ? createLogger(config, options.log) : undefined;
    const nest = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config),
      createHttpAdapter(logger, config.trustProxy),
      {
        logger: logger ? new PinoLoggerService(logger) : process.env.TEST_LOGS ? undefined : false,
        // A failure to start is the test's to report, not a reason to abort the test process.
        abortOnError: false,
      },
    );
    try {
      options.beforeListen?.(nest);
      await nest.listen(0, '127.0.0.1');
    } catch (error) {
      await nest.close().catch(() => undefined);
      if (ownsDatabase) await database.drop();
      throw error;
    }
    const address = nest.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const baseUrl = `http://127.0.0.1:${port}`;
    const factories = new Factories(nest.get(DataSource), nest, baseUrl);
    return new TestApp(nest, config, database, baseUrl, factories, ownsDatabase);
  }

  /** A client with no sign-in. */
  anonymous(): GraphQLClient {
    return new GraphQLClient(this.baseUrl);
  }

  /** The app's own connection (its restricted role), for arranging data and checking what was (not) written. */
  get dataSource(): DataSource {
    return this.nest.get(DataSource);
  }

  /** One statement as the schema owner, for what the app's role may not do (tampering with the audit log). */
  async ownerQuery<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await this.nest.close();
    if (this.ownsDatabase) await this.database.drop();
  }
}
