import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * No Docker daemon runs here, so the deployment cannot be started in a test: these read what an operator runs
 * (compose.yaml, the Dockerfile, the pooler and proxy configuration, the secrets generator) and check what the
 * README promises of them.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  depends_on?: Record<string, { condition: string }>;
  networks?: string[];
  volumes?: string[];
  user?: string;
}
interface Compose {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean; ipam?: { config: Array<{ subnet: string }> } }>;
  secrets: Record<string, { file?: string; environment?: string }>;
}

const compose = parse(read('compose.yaml'), { merge: true }) as Compose;
const { services } = compose;
const REPLICAS = ['app-1', 'app-2'];
/** What a secret is set by: each may instead be NAME_FILE (src/config/config.ts). */
const SECRET_SETTINGS = [
  'DATABASE_URL',
  'MIGRATIONS_DATABASE_URL',
  'JWT_SECRET',
  'BOOTSTRAP_ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'POSTGRES_PASSWORD',
];

/** compose's ${NAME:-default} as its default, the way compose reads the file when NAME is unset. */
const withDefaults = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

/** An .ini file's settings by section, as PgBouncer reads it. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) section = header[1];
    else {
      const [key, ...value] = line.split('=');
      (sections[section] ??= {})[key.trim()] = value.join('=').trim();
    }
  }
  return sections;
}

describe('compose.yaml', () => {
  it('runs PostgreSQL, a one-off migration, two replicas, a session-mode pooler, Redis and a TLS proxy', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['app-1', 'app-2', 'migrate', 'pgbouncer', 'postgres', 'proxy', 'redis'].sort(),
    );
    expect(services.postgres.image).toMatch(/^postgres:\d+/);
    expect(services.redis.image).toMatch(/^redis:/);
    expect(services.proxy.image).toMatch(/^caddy:/);
  });

  it('starts the replicas only once the migrations have completed successfully', () => {
    for (const name of REPLICAS) {
      expect(services[name].depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        pgbouncer: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it('migrates with npm run migration:run:prod as the schema owner, straight to PostgreSQL, with no signing secret', () => {
    const migrate = services.migrate;
    expect(migrate.command).toEqual(['npm', 'run', 'migration:run:prod']);
    expect(migrate.image).toBe(services['app-1'].image);
    expect(Object.keys(migrate.environment!).sort()).toEqual(['MIGRATIONS_DATABASE_URL_FILE', 'NODE_ENV']);
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('builds both replicas from the one image, in production, on the pooler, with Redis', () => {
    const [first, second] = REPLICAS.map((name) => services[name]);
    expect(second).toEqual(first);
    expect(first.build).toBe('.');
    expect(first.environment).toMatchObject({
      NODE_ENV: 'production',
      DATABASE_URL_FILE: '/run/secrets/database_url',
      DATABASE_POOL_SIZE: '10',
      REDIS_URL: 'redis://redis:6379',
    });
  });

  it('trusts X-Forwarded-For only from the proxy: the edge network holds the proxy and the replicas alone', () => {
    const subnet = withDefaults(compose.networks.edge.ipam!.config[0].subnet);
    expect(subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    for (const name of REPLICAS) expect(withDefaults(services[name].environment!.TRUST_PROXY)).toBe(subnet);
    const onEdge = Object.keys(services).filter((name) => services[name].networks?.includes('edge'));
    expect(onEdge.sort()).toEqual(['app-1', 'app-2', 'proxy']);
    expect(compose.networks.backend.internal).toBe(true);
    expect(services.postgres.networks).toEqual(['backend']);
  });

  it('gives every secret as a file: no secret setting in any environment, each *_FILE a secret the service lists', () => {
    for (const [name, service] of Object.entries(services)) {
      const environment = service.environment ?? {};
      for (const setting of SECRET_SETTINGS)
        expect({ name, set: setting in environment }).toEqual({ name, set: false });
      for (const [key, value] of Object.entries(environment).filter(([key]) => key.endsWith('_FILE'))) {
        const secret = value.match(/^\/run\/secrets\/(\w+)$/)?.[1];
        expect({ name, key, listed: secret !== undefined && service.secrets!.includes(secret) }).toEqual({
          name,
          key,
          listed: true,
        });
      }
    }
    for (const [name, secret] of Object.entries(compose.secrets)) {
      expect({ name, file: secret.file }).toEqual({ name, file: `./secrets/${name}` });
    }
    expect(read('.gitignore').split('\n')).toContain('secrets/');
  });

  it('creates the restricted login role the replicas connect as, a member of safeguard_app, when PostgreSQL is first initialised', () => {
    expect(services.postgres.volumes).toContain('./deploy/postgres/init:/docker-entrypoint-initdb.d:ro');
    const init = read('deploy/postgres/init/10-safeguard-roles.sh');
    expect(init).toContain('CREATE ROLE safeguard_service LOGIN PASSWORD');
    expect(init).toMatch(/CREATE ROLE safeguard_service .* IN ROLE safeguard_app;/);
    expect(init).toContain('CREATE DATABASE safeguard OWNER safeguard_owner;');
    expect(init).not.toMatch(/safeguard_owner[^;]*SUPERUSER/);
    expect(services.postgres.environment).toEqual(
      expect.objectContaining({ POSTGRES_PASSWORD_FILE: expect.any(String) }),
    );
  });

  it('ends runaway statements and idle transactions on the role, since PgBouncer refuses them as startup parameters', () => {
    for (const name of REPLICAS) {
      expect(services[name].environment).toEqual(
        expect.objectContaining({ DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' }),
      );
    }
    const init = read('deploy/postgres/init/10-safeguard-roles.sh');
    expect(init).toMatch(/ALTER ROLE safeguard_service SET statement_timeout = '\d+s';/);
    expect(init).toMatch(/ALTER ROLE safeguard_service SET idle_in_transaction_session_timeout = '\d+s';/);
  });

  it('archives the write-ahead log, for point-in-time recovery', () => {
    const settings = services.postgres.command!.filter((_, i, all) => all[i - 1] === '-c');
    expect(settings).toEqual(expect.arrayContaining(['wal_level=replica', 'archive_mode=on']));
    expect(settings.find((setting) => setting.startsWith('archive_command='))).toContain('/wal-archive/%f');
  });
});

describe('the pooler (deploy/pgbouncer)', () => {
  const ini = parseIni(read('deploy/pgbouncer/pgbouncer.ini'));

  it('pools in session mode: the sign-in throttle holds session-level advisory locks across transactions', () => {
    expect(ini.pgbouncer.pool_mode).toBe('session');
  });

  it('has room for both replicas’ pools, and reads its userlist from a secret', () => {
    const replicaPools = REPLICAS.reduce(
      (sum, name) => sum + Number(services[name].environment!.DATABASE_POOL_SIZE),
      0,
    );
    expect(Number(ini.pgbouncer.default_pool_size)).toBeGreaterThanOrEqual(replicaPools);
    expect(ini.pgbouncer.auth_file).toBe('/run/secrets/pgbouncer_userlist');
    expect(services.pgbouncer.secrets).toEqual(['pgbouncer_userlist']);
    expect(ini.databases.safeguard).toContain('host=postgres');
  });
});

describe('the proxy (deploy/caddy/Caddyfile)', () => {
  const caddyfile = read('deploy/caddy/Caddyfile');

  it('balances the two replicas, routing only to ready ones, and never serves /metrics publicly', () => {
    expect(caddyfile).toMatch(/reverse_proxy app-1:3000 app-2:3000 \{/);
    expect(caddyfile).toMatch(/health_uri \/health\/ready/);
    expect(caddyfile).toMatch(/respond \/metrics\* 404/);
    expect(services.proxy.volumes).toContain('./deploy/caddy/Caddyfile:/etc/caddy/Caddyfile:ro');
  });
});

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const [build, runtime] = stages;
  const instructions = (stage: string) => stage.replace(/\\\n/g, ' ').split('\n');

  it('builds in one stage on Node 22 and runs from another', () => {
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage).toMatch(/^node:22[-\w.]* AS \w+/);
    expect(instructions(build)).toEqual(expect.arrayContaining(['RUN npm ci', 'RUN npm run build']));
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist dist$/m);
  });

  it('installs only production dependencies, runs as a user that is not root, in production', () => {
    expect(runtime).toMatch(/^RUN npm ci --omit=dev\b/m);
    const user = runtime.match(/^USER (\S+)$/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime).toMatch(/^ENV NODE_ENV=production\b/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  });

  it('checks its health against /health/ready', () => {
    const healthcheck = instructions(runtime).find((line) => line.startsWith('HEALTHCHECK'));
    expect(healthcheck).toMatch(/CMD .*\/health\/ready/);
  });

  it('is built from a context without dependencies, builds, local data or secrets', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git', 'secrets']));
  });
});

describe('deploy/make-secrets.sh', () => {
  let folder: string;
  const secrets = () => join(folder, 'secrets');
  const secret = (name: string) => readFileSync(join(secrets(), name), 'utf8').trim();
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'sgc-secrets-'));
    execFileSync('sh', [join(ROOT, 'deploy/make-secrets.sh'), secrets()]);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('writes every secret compose.yaml names, readable inside the containers, in a folder only its owner opens', () => {
    expect(readdirSync(secrets()).sort()).toEqual(Object.keys(compose.secrets).sort());
    expect(statSync(secrets()).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(secrets())) expect(secret(name).length).toBeGreaterThanOrEqual(32);
  });

  it('makes URLs and a userlist that agree with the passwords the roles are created with', () => {
    const owner = new URL(secret('migrations_database_url'));
    expect(owner).toMatchObject({ username: 'safeguard_owner', hostname: 'postgres', port: '5432' });
    expect(owner.password).toBe(secret('db_owner_password'));
    const app = new URL(secret('database_url'));
    expect(app).toMatchObject({ username: 'safeguard_service', hostname: 'pgbouncer', port: '6432' });
    expect(app.password).toBe(secret('db_service_password'));
    expect(secret('pgbouncer_userlist')).toBe(`"safeguard_service" "${secret('db_service_password')}"`);
    expect(new Set(['postgres_password', 'jwt_secret', 'metrics_token'].map(secret)).size).toBe(3);
  });

  it('never overwrites secrets already written', () => {
    const before = secret('jwt_secret');
    expect(() => execFileSync('sh', [join(ROOT, 'deploy/make-secrets.sh'), secrets()], { stdio: 'pipe' })).toThrow();
    expect(secret('jwt_secret')).toBe(before);
  });
});
