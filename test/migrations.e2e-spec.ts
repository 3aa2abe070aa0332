import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, onServer, TestApp, TestDatabase } from '../libs/testing/src';

const ROOT = join(__dirname, '..');
const MIGRATIONS = readdirSync(join(ROOT, 'migrations')).filter((file) => file.endsWith('.ts')).length;
const run = promisify(execFile);

async function appliedMigrations(database: TestDatabase): Promise<string[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(`SELECT name FROM schema_migration ORDER BY id`)).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/**
 * A deployment's build of the migration runner, made as `npm run build` makes dist (tsconfig.build.json), but
 * only of what the runner loads, in a scratch folder that has the repository's package.json and node_modules.
 */
async function buildRunner(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'sgc-migrate-'));
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { outDir: join(folder, 'dist'), rootDir: ROOT, typeRoots: [join(ROOT, 'node_modules/@types')] },
      include: [join(ROOT, 'src/database/migrate.ts'), join(ROOT, 'migrations')],
    }),
  );
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(folder, 'tsconfig.json')]);
  copyFileSync(join(ROOT, 'package.json'), join(folder, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'));
  return folder;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run migration:run:prod` in the build, with only `env` (no JWT_SECRET, nothing of the test's own). */
function migrationRun(folder: string, env: Record<string, string>): Promise<Outcome> {
  return run('npm', ['run', '--silent', 'migration:run:prod'], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ ...error }),
  );
}

const logLines = (outcome: Outcome) =>
  outcome.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('migrations', () => {
  describe('two replicas started at the same moment on an empty database', () => {
    let database: TestDatabase;
    const apps: TestApp[] = [];
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.stop()));
      await database?.drop();
    });

    it('both become ready: the second waits for the first one to migrate and then finds nothing to do', async () => {
      database = await createTestDatabase();
      const started = await Promise.allSettled([TestApp.start({ database }), TestApp.start({ database })]);
      for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
      expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      for (const app of apps) expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);
      expect(await appliedMigrations(database)).toHaveLength(MIGRATIONS);
    });
  });

  describe('as the owner the deployment creates (deploy/postgres/init): not a superuser, with CREATEROLE', () => {
    const owner = `sgc_owner_${randomBytes(4).toString('hex')}`;
    let database: TestDatabase;
    let app: TestApp;
    beforeAll(async () => {
      await onServer((client) => client.query(`CREATE ROLE ${owner} LOGIN CREATEROLE`));
      database = await createTestDatabase();
      await onServer((client) => client.query(`ALTER DATABASE ${database.name} OWNER TO ${owner}`));
      const url = new URL(database.url);
      url.username = owner;
      app = await TestApp.start({ database: { ...database, url: url.toString() } });
    });
    afterAll(async () => {
      await app?.stop();
      await database?.drop();
      await onServer((client) => client.query(`DROP ROLE IF EXISTS ${owner}`));
    });

    it('migrates (trusted extensions, the existing safeguard_app role) and the app serves as its restricted role', async () => {
      expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);
      const [table] = await app.ownerQuery(
        `SELECT tableowner, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser
           FROM pg_tables WHERE tablename = 'audit_event'`,
      );
      expect(table).toEqual({ tableowner: owner, superuser: false });
    });

    it('leaves the owner unable to switch the audit triggers off for its session, as a superuser could', async () => {
      await expect(app.ownerQuery(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    });
  });

  describe('npm run migration:run:prod, from the build', () => {
    let folder: string;
    let database: TestDatabase;
    beforeAll(async () => {
      [folder, database] = await Promise.all([buildRunner(), createTestDatabase()]);
    }, 120_000);
    afterAll(async () => {
      rmSync(folder, { recursive: true, force: true });
      await database?.drop();
    });

    it('migrates with only the owner URL, no signing secret, and exits; two runs at once apply each one once', async () => {
      const env = { NODE_ENV: 'production', MIGRATIONS_DATABASE_URL: database.url };
      const outcomes = await Promise.all([migrationRun(folder, env), migrationRun(folder, env)]);
      expect(outcomes.map(({ code, stderr }) => ({ code, stderr }))).toEqual([
        { code: 0, stderr: '' },
        { code: 0, stderr: '' },
      ]);
      const applied = outcomes.map((outcome) => logLines(outcome).at(-1).applied.length).sort();
      expect(applied).toEqual([0, MIGRATIONS]);
      expect(await appliedMigrations(database)).toHaveLength(MIGRATIONS);
    }, 60_000);

    it('takes the owner URL from a file, as Docker and Kubernetes mount secrets', async () => {
      const secret = join(folder, 'migrations_database_url');
      writeFileSync(secret, `${database.url}\n`);
      const outcome = await migrationRun(folder, { NODE_ENV: 'production', MIGRATIONS_DATABASE_URL_FILE: secret });
      expect(outcome.code).toBe(0);
      expect(logLines(outcome).at(-1)).toMatchObject({ msg: 'applied 0 migration(s)', applied: [] });
    }, 60_000);

    it('refuses to run in production without a database URL, in one line naming it', async () => {
      const outcome = await migrationRun(folder, { NODE_ENV: 'production' });
      expect(outcome.code).toBe(1);
      expect(outcome.stderr.trim().split('\n')).toEqual([
        'configuration error: MIGRATIONS_DATABASE_URL or DATABASE_URL is required when NODE_ENV=production',
      ]);
    }, 60_000);

    it('exits with status 1 and says why when it cannot migrate', async () => {
      const unreachable = new URL(database.url);
      unreachable.pathname = '/sgc_no_such_database';
      const outcome = await migrationRun(folder, { NODE_ENV: 'production', DATABASE_URL: unreachable.toString() });
      expect(outcome.code).toBe(1);
      expect(logLines(outcome).at(-1)).toMatchObject({ level: 60, msg: 'the migrations failed' });
    }, 60_000);
  });
});
