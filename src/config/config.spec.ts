import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadDatabaseConfig } from './config';

const SECRET = 'a-production-secret-of-at-least-32-characters';
const DATABASE_URL = 'postgres://app@db.internal:5432/safeguard';
const production = { NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: SECRET };

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sgc-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  describe('the embedded default, for a newcomer with no settings', () => {
    it('is development on port 3000 with the embedded database and the demo dataset', () => {
      const config = loadConfig({ DATA_DIR: dataDir });
      expect(config).toMatchObject({ env: 'development', port: 3000, dataDir, seedDemo: true, logLevel: 'info' });
      expect(config.databaseUrl).toBeUndefined();
      expect(config.schemaFile).toBeUndefined();
    });

    it('generates a signing secret in the data folder, readable only by the service, and keeps it', () => {
      const first = loadConfig({ DATA_DIR: dataDir });
      const second = loadConfig({ DATA_DIR: dataDir });
      expect(Buffer.from(second.jwtSecret).equals(Buffer.from(first.jwtSecret))).toBe(true);
      expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
      const file = join(dataDir, 'jwt-secret');
      expect(readFileSync(file, 'utf8').trim()).toBe(new TextDecoder().decode(first.jwtSecret));
      expect(statSync(file).mode & 0o077).toBe(0);
    });
  });

  describe('production', () => {
    it('takes the database, secret and every other setting from the environment', () => {
      const config = loadConfig({
        ...production,
        PORT: '8080',
        MIGRATIONS_DATABASE_URL: 'postgresql://owner@db.internal:5432/safeguard',
        TOKEN_TTL_SECONDS: '3600',
        BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org',
        BOOTSTRAP_ADMIN_PASSWORD: 'a long enough password',
        LOG_LEVEL: 'warn',
        SCHEMA_FILE: '/tmp/schema.graphql',
      });
      expect(config).toMatchObject({
        env: 'production',
        port: 8080,
        databaseUrl: DATABASE_URL,
        migrationsDatabaseUrl: 'postgresql://owner@db.internal:5432/safeguard',
        tokenTtlSeconds: 3600,
        bootstrapAdmin: { email: 'admin@example.org', password: 'a long enough password' },
        logLevel: 'warn',
        schemaFile: '/tmp/schema.graphql',
        seedDemo: false,
      });
      expect(new TextDecoder().decode(config.jwtSecret)).toBe(SECRET);
    });

    it('runs migrations on the application database unless a separate owner connection is given', () => {
      expect(loadConfig(production).migrationsDatabaseUrl).toBe(DATABASE_URL);
    });

    it('opens pools of 10 connections unless DATABASE_POOL_SIZE says otherwise', () => {
      expect(loadConfig(production).databasePoolSize).toBe(10);
      expect(loadConfig({ ...production, DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25);
    });

    it("signs a page's visitor out after 20 minutes without a request unless SESSION_IDLE_TIMEOUT_SECONDS says otherwise", () => {
      expect(loadConfig(production).sessionIdleSeconds).toBe(1200);
      expect(loadConfig({ ...production, SESSION_IDLE_TIMEOUT_SECONDS: '600' }).sessionIdleSeconds).toBe(600);
      expect(() => loadConfig({ ...production, SESSION_IDLE_TIMEOUT_SECONDS: '0' })).toThrow(
        'SESSION_IDLE_TIMEOUT_SECONDS must be a whole number from 5 to 86400',
      );
    });

    it('lets only loopback read /metrics unless METRICS_TOKEN is set', () => {
      expect(loadConfig(production).metricsToken).toBeUndefined();
      expect(loadConfig({ ...production, METRICS_TOKEN: SECRET }).metricsToken).toBe(SECRET);
    });

    it('never seeds the demo dataset, whose passwords are public, even when asked to', () => {
      expect(loadConfig(production).seedDemo).toBe(false);
      expect(() => loadConfig({ ...production, SEED_DEMO: 'true' })).toThrow('SEED_DEMO');
    });
  });

  describe('secrets from files (NAME_FILE), as Docker and Kubernetes mount them', () => {
    const secretFile = (name: string, content: string) => {
      const file = join(dataDir, name);
      writeFileSync(file, content);
      return file;
    };

    it('reads each secret from its file, without the newline that ends the file', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL_FILE: secretFile('database_url', `${DATABASE_URL}\n`),
        MIGRATIONS_DATABASE_URL_FILE: secretFile('owner_url', 'postgres://owner@db.internal/safeguard\r\n'),
        JWT_SECRET_FILE: secretFile('jwt_secret', `${SECRET}\n`),
        BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org',
        BOOTSTRAP_ADMIN_PASSWORD_FILE: secretFile('admin_password', 'a long enough password \n'),
        METRICS_TOKEN_FILE: secretFile('metrics_token', SECRET),
      });
      expect(config).toMatchObject({
        databaseUrl: DATABASE_URL,
        migrationsDatabaseUrl: 'postgres://owner@db.internal/safeguard',
        bootstrapAdmin: { email: 'admin@example.org', password: 'a long enough password ' },
        metricsToken: SECRET,
      });
      expect(new TextDecoder().decode(config.jwtSecret)).toBe(SECRET);
    });

    it.each(['JWT_SECRET', 'DATABASE_URL', 'MIGRATIONS_DATABASE_URL', 'BOOTSTRAP_ADMIN_PASSWORD', 'METRICS_TOKEN'])(
      'refuses %s given both directly and as a file: which one is meant is unclear',
      (name) => {
        const file = secretFile('secret', SECRET);
        expect(() => loadConfig({ ...production, [name]: SECRET, [`${name}_FILE`]: file })).toThrow(
          new ConfigError(`set ${name} or ${name}_FILE, not both`),
        );
      },
    );

    it('refuses a file it cannot read, naming the setting but not the secret', () => {
      const missing = join(dataDir, 'no-such-secret');
      expect(() => loadConfig({ ...production, JWT_SECRET: undefined, JWT_SECRET_FILE: missing })).toThrow(
        new ConfigError('JWT_SECRET_FILE cannot be read (ENOENT)'),
      );
    });

    it('checks a secret from a file as it checks one from the environment', () => {
      const short = secretFile('jwt_secret', 'short-but-secret\n');
      expect(() => loadConfig({ ...production, JWT_SECRET: undefined, JWT_SECRET_FILE: short })).toThrow(
        new ConfigError('JWT_SECRET must be at least 32 characters'),
      );
    });
  });

  describe('the database settings alone (npm run migration:run:prod)', () => {
    it('need no signing secret: in production the owner connection is enough', () => {
      const owner = 'postgres://owner@db.internal:5432/safeguard';
      expect(loadDatabaseConfig({ NODE_ENV: 'production', MIGRATIONS_DATABASE_URL: owner })).toMatchObject({
        env: 'production',
        migrationsDatabaseUrl: owner,
        databasePoolSize: 10,
      });
      expect(loadDatabaseConfig({ NODE_ENV: 'production', DATABASE_URL }).migrationsDatabaseUrl).toBe(DATABASE_URL);
    });

    it('refuse production without any database', () => {
      expect(() => loadDatabaseConfig({ NODE_ENV: 'production' })).toThrow(
        new ConfigError('MIGRATIONS_DATABASE_URL or DATABASE_URL is required when NODE_ENV=production'),
      );
    });
  });

  it('trusts no proxy unless told which: a forwarded address could otherwise be forged to escape throttling', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).trustProxy).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: ' loopback, 10.0.0.0/8 ,fd00::/8' }).trustProxy).toBe(
      'loopback,10.0.0.0/8,fd00::/8',
    );
  });

  it("limits statements and idle transactions on the app's database sessions to 30 seconds unless told otherwise", () => {
    expect(loadConfig({ DATA_DIR: dataDir }).databaseTimeouts).toEqual({
      statementMs: 30_000,
      idleInTransactionMs: 30_000,
    });
    const config = loadConfig({
      ...production,
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
    });
    expect(config.databaseTimeouts).toEqual({ statementMs: 5000, idleInTransactionMs: 0 });
  });

  it('tests quietly and without the demo dataset', () => {
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir })).toMatchObject({ logLevel: 'warn', seedDemo: false });
  });

  it('limits each person to 600 requests a minute, counted in this process, unless told otherwise', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({ rateLimitPerMinute: 600, redisKeyPrefix: 'safeguard:' });
    expect(config.redisUrl).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test' }).rateLimitPerMinute).toBe(0);
    expect(
      loadConfig({
        ...production,
        RATE_LIMIT_PER_MINUTE: '120',
        REDIS_URL: 'rediss://:secret@cache.internal:6380/2',
        REDIS_KEY_PREFIX: 'safeguard-staging:',
      }),
    ).toMatchObject({
      rateLimitPerMinute: 120,
      redisUrl: 'rediss://:secret@cache.internal:6380/2',
      redisKeyPrefix: 'safeguard-staging:',
    });
  });

  describe('refuses a missing or bad setting with one line that names it', () => {
    const cases: Array<[string, NodeJS.ProcessEnv, string]> = [
      ['production without a database', { NODE_ENV: 'production', JWT_SECRET: SECRET }, 'DATABASE_URL'],
      ['production without a secret', { NODE_ENV: 'production', DATABASE_URL }, 'JWT_SECRET'],
      ['a database without a secret', { DATABASE_URL }, 'JWT_SECRET'],
      ['a short secret', { ...production, JWT_SECRET: 'short' }, 'JWT_SECRET'],
      ['an unknown environment', { NODE_ENV: 'staging' }, 'NODE_ENV'],
      ['a database URL that is not a URL', { ...production, DATABASE_URL: 'db.internal' }, 'DATABASE_URL'],
      ['a database that is not PostgreSQL', { ...production, DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
      ['a bad owner connection', { ...production, MIGRATIONS_DATABASE_URL: 'nope' }, 'MIGRATIONS_DATABASE_URL'],
      [
        'an owner connection without an application one',
        { MIGRATIONS_DATABASE_URL: 'postgres://owner@db.internal/safeguard' },
        'MIGRATIONS_DATABASE_URL',
      ],
      ['a pool size that is not a number', { ...production, DATABASE_POOL_SIZE: 'ten' }, 'DATABASE_POOL_SIZE'],
      ['an empty pool', { ...production, DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
      ['a short metrics token', { ...production, METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
      ['a port that is not a number', { PORT: 'http' }, 'PORT'],
      ['a port out of range', { PORT: '70000' }, 'PORT'],
      ['a fractional token lifetime', { TOKEN_TTL_SECONDS: '1.5' }, 'TOKEN_TTL_SECONDS'],
      ['a token lifetime under a minute', { TOKEN_TTL_SECONDS: '10' }, 'TOKEN_TTL_SECONDS'],
      ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      ['an admin email without a password', { BOOTSTRAP_ADMIN_EMAIL: 'a@example.org' }, 'BOOTSTRAP_ADMIN_PASSWORD'],
      [
        'a short admin password',
        { BOOTSTRAP_ADMIN_EMAIL: 'a@example.org', BOOTSTRAP_ADMIN_PASSWORD: 'short' },
        'BOOTSTRAP_ADMIN_PASSWORD',
      ],
      ['a seed flag that is not a boolean', { SEED_DEMO: 'yes' }, 'SEED_DEMO'],
      ['trusting every proxy', { TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
      ['a proxy that is not an address', { TRUST_PROXY: 'lb.internal' }, 'TRUST_PROXY'],
      ['a hop count, which cannot tell a proxy from a client', { TRUST_PROXY: '2' }, 'TRUST_PROXY'],
      ['a statement timeout in seconds', { DATABASE_STATEMENT_TIMEOUT_MS: '30s' }, 'DATABASE_STATEMENT_TIMEOUT_MS'],
      ['a negative statement timeout', { DATABASE_STATEMENT_TIMEOUT_MS: '-1' }, 'DATABASE_STATEMENT_TIMEOUT_MS'],
      [
        'an idle-in-transaction timeout over an hour',
        { DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '3600001' },
        'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      ],
      ['a request limit that is not a number', { RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
      ['a negative request limit', { RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
      ['a Redis URL that is not a URL', { REDIS_URL: 'cache.internal:6379' }, 'REDIS_URL'],
      ['a Redis URL of another protocol', { REDIS_URL: 'http://cache.internal' }, 'REDIS_URL'],
      ['a Redis key prefix with spaces', { REDIS_KEY_PREFIX: 'safe guard' }, 'REDIS_KEY_PREFIX'],
    ];

    it.each(cases)('%s', (_, env, setting) => {
      let error: unknown;
      try {
        loadConfig({ DATA_DIR: dataDir, ...env });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const { message } = error as ConfigError;
      expect(message).toContain(setting);
      expect(message).not.toContain('\n');
    });

    it('never repeats a secret in the message', () => {
      expect(() => loadConfig({ ...production, JWT_SECRET: 'short-but-secret' })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('short-but-secret') }),
      );
      expect(() => loadConfig({ ...production, REDIS_URL: 'http://:redis-password@cache' })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('redis-password') }),
      );
    });
  });
});
