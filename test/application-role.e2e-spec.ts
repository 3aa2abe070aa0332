import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { roleVoidingAudit } from '../src/database/application-role';
import { TestApp } from '../libs/testing/src/test-app';
import { onServer } from '../libs/testing/src/test-database';

/**
 * Each power that voids the audit log's protections, named as the production start names it. The superuser and
 * the tables' owner are refused at start in operations.e2e-spec.ts; these are the quieter two: a role that can
 * act as the owner without being it, and a role granted a write on the log that the app's role never has.
 */
describe('the roles production refuses to run as', () => {
  let app: TestApp;
  const suffix = randomBytes(4).toString('hex');
  const ownerMember = `sgc_owner_member_${suffix}`;
  const auditWriter = `sgc_audit_writer_${suffix}`;
  const ordinary = `sgc_app_login_${suffix}`;

  async function powersOf(role: string): Promise<string | undefined> {
    const url = new URL(app.database.url);
    url.username = role;
    const dataSource = new DataSource({ type: 'postgres', url: url.toString() });
    await dataSource.initialize();
    try {
      return await roleVoidingAudit(dataSource);
    } finally {
      await dataSource.destroy();
    }
  }

  beforeAll(async () => {
    app = await TestApp.start();
    const [{ owner }] = await app.ownerQuery<{ owner: string }>(
      `SELECT tableowner AS owner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_event'`,
    );
    await onServer(async (client) => {
      await client.query(`CREATE ROLE ${ownerMember} LOGIN IN ROLE ${owner}`);
      await client.query(`CREATE ROLE ${auditWriter} LOGIN IN ROLE safeguard_app`);
      await client.query(`CREATE ROLE ${ordinary} LOGIN IN ROLE safeguard_app`);
    });
    await app.ownerQuery(`GRANT DELETE ON audit_event TO ${auditWriter}`);
  });

  afterAll(async () => {
    await app.stop();
    await onServer((client) => client.query(`DROP ROLE IF EXISTS ${ownerMember}, ${auditWriter}, ${ordinary}`));
  });

  it('names a member of the owner, which can act as the owner and drop the trigger', async () => {
    expect(await powersOf(ownerMember)).toMatch(
      new RegExp(`^DATABASE_URL connects as ${ownerMember}, a member of \\w+, the owner of the tables, which can drop`),
    );
  });

  it('names a role that may delete from the audit log', async () => {
    expect(await powersOf(auditWriter)).toMatch(
      new RegExp(`^DATABASE_URL connects as ${auditWriter}, allowed to UPDATE, DELETE or TRUNCATE audit_event: `),
    );
  });

  it('accepts a login role that is a member of safeguard_app and nothing more', async () => {
    expect(await powersOf(ordinary)).toBeUndefined();
  });
});
