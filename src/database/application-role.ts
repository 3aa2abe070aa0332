import type { DataSource } from 'typeorm';

/** What the application's role may do that voids the audit log's protections, as one flag each. */
interface RolePowers {
  role: string;
  superuser: boolean;
  owner: string | null;
  rewritesAudit: boolean;
}

/**
 * The audit log is protected by a trigger and by grants, not by row security: a superuser can switch the trigger
 * off (`session_replication_role`), a table's owner, or any role it can act as, can drop the trigger or grant
 * itself anything, and UPDATE, DELETE or TRUNCATE on `audit_event` needs only the trigger disabled once. MEMBER,
 * not USAGE: a role that can `SET ROLE` to the owner has its powers even without inheriting them.
 */
const POWERS = `
  SELECT current_user AS role,
         r.rolsuper AS superuser,
         (SELECT t.tableowner FROM pg_tables t
           WHERE t.schemaname = 'public' AND pg_has_role(current_user, t.tableowner, 'MEMBER')
           ORDER BY t.tablename LIMIT 1) AS owner,
         to_regclass('public.audit_event') IS NOT NULL
           AND (has_table_privilege('public.audit_event', 'UPDATE')
             OR has_table_privilege('public.audit_event', 'DELETE')
             OR has_table_privilege('public.audit_event', 'TRUNCATE')) AS "rewritesAudit"
    FROM pg_roles r
   WHERE r.rolname = current_user`;

const FIX =
  'connect as a LOGIN role that is a member of safeguard_app and nothing more ' +
  '(README "Database roles and the audit log"), and keep the owner for MIGRATIONS_DATABASE_URL';

/**
 * Why the role DATABASE_URL connects as voids the audit log's protections, and what to do instead, in one line;
 * undefined when it does not. Only for a PostgreSQL server: the embedded database has one superuser session.
 */
export async function roleVoidingAudit(dataSource: DataSource): Promise<string | undefined> {
  const [powers] = (await dataSource.query(POWERS)) as RolePowers[];
  const { role, superuser, owner, rewritesAudit } = powers;
  let power: string | undefined;
  if (superuser) power = 'a superuser, which can switch the audit log trigger off';
  else if (owner === role) power = 'the owner of the tables, which can drop the audit log trigger';
  else if (owner) power = `a member of ${owner}, the owner of the tables, which can drop the audit log trigger`;
  else if (rewritesAudit) power = 'allowed to UPDATE, DELETE or TRUNCATE audit_event';
  return power && `DATABASE_URL connects as ${role}, ${power}: ${FIX}`;
}
