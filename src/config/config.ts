import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Environment = 'development' | 'production' | 'test';

export interface AppConfig {
  env: Environment;
  port: number;
  /** The application's PostgreSQL connection; absent means the embedded PGlite database. */
  databaseUrl?: string;
  /**
   * The connection migrations run on: the schema owner. The application's own role is deliberately weaker
   * (it may only INSERT and SELECT the audit log), so it cannot run migrations.
   */
  migrationsDatabaseUrl?: string;
  /** Where the embedded database and its generated secret live. */
  dataDir: string;
  /** Connections each pool (the application's, the owner's) may open. */
  databasePoolSize: number;
  jwtSecret: Uint8Array;
  tokenTtlSeconds: number;
  /**
   * The pages sign a person out after this long without a request (GOV.UK's timeout pattern), warning them
   * shortly before; the session's token lives its TOKEN_TTL_SECONDS at most either way.
   */
  sessionIdleSeconds: number;
  bootstrapAdmin?: { email: string; password: string };
  logLevel: string;
  /** Where to write the emitted schema (`npm run schema:emit`); otherwise it is built in memory only. */
  schemaFile?: string;
  /** Seeds the demo dataset at start; only ever on by default for the embedded database. */
  seedDemo: boolean;
  /**
   * The proxies (load balancers) whose X-Forwarded-For is believed: their addresses and CIDR ranges, or
   * proxy-addr's `loopback`, `linklocal`, `uniquelocal`. Unset, the peer is the client.
   */
  trustProxy?: string;
  /**
   * Limits PostgreSQL itself enforces on each of the application's sessions, in milliseconds (0: the app sets
   * none). A statement running longer is cancelled; a session idle inside a transaction longer is ended. So a
   * fault anywhere in the app can hold a connection, and the locks its transaction took, only so long.
   */
  databaseTimeouts: { statementMs: number; idleInTransactionMs: number };
  /**
   * GraphQL requests one person (or, signed out, one client address) may make per minute; 0 is no limit. Off by
   * default under test, so one test file's requests never refuse another's.
   */
  rateLimitPerMinute: number;
  /** Redis, where every replica counts requests together; absent, each process counts on its own. */
  redisUrl?: string;
  /** Starts every key this service writes to Redis, so deployments (or test runs) can share one server. */
  redisKeyPrefix: string;
  /** A bearer token that lets a scraper outside the host read /metrics; unset, only loopback may. */
  metricsToken?: string;
  /**
   * Whether this process works the job queue (reminders) as well as serving. Every replica may send jobs; one
   * set to false only serves, so jobs run on the others. Each job runs once whichever works it.
   */
  jobWorkers: boolean;
}

/** What running the migrations needs: no signing secret, no HTTP settings. */
export type DatabaseConfig = Pick<
  AppConfig,
  'env' | 'databaseUrl' | 'migrationsDatabaseUrl' | 'dataDir' | 'databasePoolSize' | 'databaseTimeouts' | 'logLevel'
>;

/** A setting that is missing or wrong: the service refuses to start and says which one in a single line. */
export class ConfigError extends Error {}

/** A missing or bad setting stops the process with one line that names it, and exit status 1, before anything starts. */
export function loadOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    exitOnConfigError(error);
    throw error;
  }
}

/** A ConfigError found while starting (the database role) ends the process the same way as a bad setting. */
export function exitOnConfigError(error: unknown): void {
  if (!(error instanceof ConfigError)) return;
  console.error(`configuration error: ${error.message}`);
  process.exit(1);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readEnvironment(value: string | undefined): Environment {
  const env = value ?? 'development';
  if (env !== 'development' && env !== 'production' && env !== 'test') {
    throw new ConfigError(`NODE_ENV must be development, production or test, not "${env}"`);
  }
  return env;
}

function readInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return n;
}

/** A database timeout: 30 seconds unless set, at most an hour, 0 for none. */
function readTimeoutMs(name: string, source: NodeJS.ProcessEnv): number {
  return readInteger(name, source[name], 30_000, 0, 3_600_000);
}

function readPostgresUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must be a postgres:// URL`);
  }
  return value;
}

/**
 * A secret may instead come from the file NAME_FILE names: Docker and Kubernetes mount secrets as files, which
 * keeps them out of the environment (`docker inspect`, /proc/<pid>/environ, crash reports). Editors and `echo`
 * end the file with a newline that is not part of the secret.
 */
function readSecret(source: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = source[`${name}_FILE`];
  const value = source[name];
  if (!file) return value;
  if (value) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
  try {
    return readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
  } catch (error) {
    throw new ConfigError(`${name}_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The embedded mode keeps its own secret beside its data so tokens survive a restart. */
function embeddedSecret(dataDir: string): Uint8Array {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

const PROXY_ADDRESS = /^(?:loopback|linklocal|uniquelocal|[0-9a-f.:]+(?:\/\d{1,3})?)$/i;

/**
 * Without it, behind a load balancer every client has the balancer's address and 30 failed sign-ins anywhere
 * would lock everyone out; trusting every proxy instead would let a client forge its address to escape the limit.
 */
function readTrustProxy(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const proxies = value.split(',').map((part) => part.trim());
  // Not a hop count: Fastify ignores one, as it cannot tell the immediate peer is a proxy at all.
  if (!proxies.every((part) => PROXY_ADDRESS.test(part) && !/^\d+$/.test(part))) {
    throw new ConfigError('TRUST_PROXY must be a comma-separated list of proxy addresses or CIDR ranges');
  }
  return proxies.join(',');
}

function readRedisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('REDIS_URL is not a valid URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  return value;
}

const REDIS_KEY_PREFIX = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The demo dataset's passwords are published in this repository, so it must never reach a live service. */
export const DEMO_IN_PRODUCTION = 'SEED_DEMO cannot be true when NODE_ENV=production: the demo passwords are public';

function readDatabase(source: NodeJS.ProcessEnv): DatabaseConfig {
  const env = readEnvironment(source.NODE_ENV);
  const databaseUrl = readPostgresUrl('DATABASE_URL', readSecret(source, 'DATABASE_URL'));
  const logLevel = source.LOG_LEVEL || (env === 'test' ? 'warn' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    env,
    databaseUrl,
    migrationsDatabaseUrl:
      readPostgresUrl('MIGRATIONS_DATABASE_URL', readSecret(source, 'MIGRATIONS_DATABASE_URL')) ?? databaseUrl,
    dataDir: resolve(source.DATA_DIR || '.data'),
    databasePoolSize: readInteger('DATABASE_POOL_SIZE', source.DATABASE_POOL_SIZE, 10, 1, 200),
    databaseTimeouts: {
      statementMs: readTimeoutMs('DATABASE_STATEMENT_TIMEOUT_MS', source),
      idleInTransactionMs: readTimeoutMs('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', source),
    },
    logLevel,
  };
}

/**
 * The database settings alone, for `npm run migration:run:prod`: it runs as the schema owner and needs no
 * signing secret, so in production the owner's MIGRATIONS_DATABASE_URL (or DATABASE_URL) is all it needs.
 */
export function loadDatabaseConfig(source: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const database = readDatabase(source);
  if (database.env === 'production' && !database.migrationsDatabaseUrl) {
    throw new ConfigError('MIGRATIONS_DATABASE_URL or DATABASE_URL is required when NODE_ENV=production');
  }
  return database;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const database = readDatabase(source);
  const { env, databaseUrl, dataDir } = database;
  if (env === 'production' && !databaseUrl) throw new ConfigError('DATABASE_URL is required when NODE_ENV=production');
  // Otherwise the service would run on the embedded database and migrate a server it never uses.
  if (!databaseUrl && database.migrationsDatabaseUrl) {
    throw new ConfigError('MIGRATIONS_DATABASE_URL needs DATABASE_URL: the application connection');
  }

  let jwtSecret: Uint8Array;
  const secret = readSecret(source, 'JWT_SECRET');
  if (secret) {
    if (secret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
    jwtSecret = new TextEncoder().encode(secret);
  } else if (env === 'production') {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  } else if (databaseUrl) {
    throw new ConfigError('JWT_SECRET is required when DATABASE_URL is set');
  } else {
    jwtSecret = embeddedSecret(dataDir);
  }

  const email = source.BOOTSTRAP_ADMIN_EMAIL;
  const password = readSecret(source, 'BOOTSTRAP_ADMIN_PASSWORD');
  if (Boolean(email) !== Boolean(password)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if (password && password.length < 12)
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters');

  const seed = source.SEED_DEMO;
  if (seed !== undefined && seed !== '' && seed !== 'true' && seed !== 'false') {
    throw new ConfigError('SEED_DEMO must be true or false');
  }
  if (env === 'production' && seed === 'true') throw new ConfigError(DEMO_IN_PRODUCTION);

  const redisKeyPrefix = source.REDIS_KEY_PREFIX || 'safeguard:';
  if (!REDIS_KEY_PREFIX.test(redisKeyPrefix)) {
    throw new ConfigError('REDIS_KEY_PREFIX must be 1 to 100 letters, digits or _ . : -');
  }
  const metricsToken = readSecret(source, 'METRICS_TOKEN') || undefined;
  const jobWorkers = source.JOBS_WORKERS;
  if (jobWorkers !== undefined && jobWorkers !== '' && jobWorkers !== 'true' && jobWorkers !== 'false') {
    throw new ConfigError('JOBS_WORKERS must be true or false');
  }
  if (metricsToken && metricsToken.length < 32) throw new ConfigError('METRICS_TOKEN must be at least 32 characters');

  return {
    ...database,
    port: readInteger('PORT', source.PORT, 3000, 1, 65535),
    jwtSecret,
    tokenTtlSeconds: readInteger('TOKEN_TTL_SECONDS', source.TOKEN_TTL_SECONDS, 8 * 3600, 60, 7 * 24 * 3600),
    sessionIdleSeconds: readInteger(
      'SESSION_IDLE_TIMEOUT_SECONDS',
      source.SESSION_IDLE_TIMEOUT_SECONDS,
      20 * 60,
      5,
      24 * 3600,
    ),
    schemaFile: source.SCHEMA_FILE || undefined,
    bootstrapAdmin: email && password ? { email, password } : undefined,
    // Demo data never reaches a real server by accident: only the embedded default seeds unless asked.
    seedDemo: seed === 'true' || (seed !== 'false' && !databaseUrl && env !== 'test'),
    trustProxy: readTrustProxy(source.TRUST_PROXY),
    rateLimitPerMinute: readInteger(
      'RATE_LIMIT_PER_MINUTE',
      source.RATE_LIMIT_PER_MINUTE,
      env === 'test' ? 0 : 600,
      0,
      1_000_000,
    ),
    redisUrl: readRedisUrl(source.REDIS_URL),
    redisKeyPrefix,
    metricsToken,
    jobWorkers: jobWorkers !== 'false',
  };
}
