import { MigrationInterface, QueryRunner } from 'typeorm';

/** Advisory lock keys AUDIT_CHAIN_LOCK + lane order appends to each lane of the chain. */
export const AUDIT_CHAIN_LOCK = 7_630_003_000;
/** Independent chains: appends on different connections rarely share one, so they rarely wait for each other. */
export const AUDIT_LANES = 32;

/**
 * The application's database role and the append-only, hash-chained audit log (DESIGN §5).
 *
 * Migrations run as the schema owner. The application connects as a LOGIN role that is a member of
 * `safeguard_app`, which may read and write ordinary tables but may only INSERT and SELECT `audit_event`: even a
 * compromised application cannot rewrite history. Roles are cluster-wide and test databases migrate in parallel,
 * so the role is created idempotently.
 */
export class AuditLog1763800300000 implements MigrationInterface {
  name = 'AuditLog1763800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        CREATE ROLE safeguard_app NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO safeguard_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO safeguard_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO safeguard_app`);
    // Tables of later migrations (run by the same owner) are covered without each one remembering to grant.
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO safeguard_app`,
    );
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO safeguard_app`);
    // Which migrations ran is the owner's business.
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON schema_migration FROM safeguard_app`);

    await q.query(`CREATE SEQUENCE audit_event_seq AS bigint`);
    await q.query(`
      CREATE TABLE audit_event (
        seq bigint PRIMARY KEY,
        lane smallint NOT NULL CHECK (lane >= 0 AND lane < ${AUDIT_LANES}),
        at timestamptz NOT NULL,
        user_id uuid REFERENCES app_user (id),
        agency_id uuid REFERENCES agency (id),
        action text NOT NULL CHECK (action ~ '^[A-Za-z][A-Za-z0-9_.]{0,79}$'),
        subject_type text NOT NULL CHECK (subject_type ~ '^[A-Za-z][A-Za-z0-9_]{0,79}$'),
        subject_id text CHECK (length(subject_id) <= 200),
        child_id uuid,
        route text CHECK (route IN ('INVOLVED','GRANTED','CONFERENCE','BREAK_GLASS')),
        purpose text CHECK (length(purpose) <= 2000),
        break_glass boolean NOT NULL DEFAULT false,
        request_id text CHECK (length(request_id) <= 200),
        prev_seq bigint,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL
      )`);
    await q.query(`ALTER SEQUENCE audit_event_seq OWNED BY audit_event.seq`);
    await q.query(`CREATE INDEX audit_event_child_idx ON audit_event (child_id, seq) WHERE child_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_event_staff_idx ON audit_event (user_id, agency_id, seq)`);
    await q.query(`CREATE INDEX audit_event_lane_idx ON audit_event (lane, seq)`);

    // The canonical form of an event: every field, in a fixed order, in a form that does not depend on the
    // session's time zone or output settings. The hash covers the previous hash, so each event seals its past.
    await q.query(`
      CREATE FUNCTION audit_event_digest(e audit_event) RETURNS bytea
      LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT sha256(e.prev_hash || convert_to(jsonb_build_array(
          e.seq, e.lane, e.prev_seq, (extract(epoch FROM e.at) * 1000000)::bigint, e.user_id, e.agency_id, e.action,
          e.subject_type, e.subject_id, e.child_id, e.route, e.purpose, e.break_glass, e.request_id)::text, 'UTF8'))
      $$`);

    /*
     * Chaining happens in the database, so no writer (however buggy or hostile) can append an unchained event.
     *
     * Whoever appends to a chain must see its previous event committed, so appends to one chain serialize from
     * the INSERT to the COMMIT (a transaction-scoped advisory lock). One chain for the whole service made every
     * audited request queue behind every other one's commit (measured on 2 cores, 10 connections: 350
     * transactions/s against 1,380 without chaining). So the log is ${AUDIT_LANES} interleaved chains ("lanes"): a
     * transaction appends to the first lane no one else is appending to, and waits only when every lane is busy. Each lane is a complete chain: altering, removing or reordering any event breaks
     * its lane, which verifyAuditChain walks in one pass in seq order.
     *
     * The application also appends a request's events in ONE statement as the very last step before COMMIT
     * (AuditLog flushes in UnitOfWork.beforeCommit), so even within a lane the lock is never held while a
     * request reads or computes. seq is drawn after the lock, so seq order is chain order within a lane. Under
     * READ COMMITTED each statement of this volatile function takes a fresh snapshot, so after the lock the
     * previous holder's committed event is visible (an older REPEATABLE READ snapshot might not be: refused).
     * A rolled-back append leaves a gap in seq; prev_seq records the real link.
     */
    await q.query(`
      CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        head record;
        held text := current_setting('audit.lane', true);
      BEGIN
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'audit events must be appended in a READ COMMITTED transaction';
        END IF;
        IF coalesce(held, '') <> '' THEN
          NEW.lane := held::smallint;
        ELSE
          -- The first free lane from this connection's own; wait only if every lane is busy.
          FOR i IN 0 .. ${AUDIT_LANES} LOOP
            NEW.lane := (pg_backend_pid() + i) % ${AUDIT_LANES};
            IF i = ${AUDIT_LANES} THEN
              PERFORM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK} + NEW.lane);
            ELSIF pg_try_advisory_xact_lock(${AUDIT_CHAIN_LOCK} + NEW.lane) THEN
              EXIT;
            END IF;
          END LOOP;
          PERFORM set_config('audit.lane', NEW.lane::text, true);
        END IF;
        SELECT seq, hash INTO head FROM audit_event WHERE lane = NEW.lane ORDER BY seq DESC LIMIT 1;
        NEW.seq := nextval('audit_event_seq');
        NEW.at := now();
        NEW.prev_seq := head.seq;
        NEW.prev_hash := coalesce(head.hash, '\\x'::bytea);
        NEW.hash := audit_event_digest(NEW);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`);

    // Statement-level, so even an UPDATE or DELETE that matches no row is refused, and TRUNCATE (which fires
    // no row triggers) too. The owner can still disable the trigger: that is what verifyAuditChain is for.
    await q.query(`
      CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`);

    await q.query(`REVOKE ALL ON audit_event FROM safeguard_app`);
    await q.query(`GRANT SELECT, INSERT ON audit_event TO safeguard_app`);
    await q.query(`REVOKE ALL ON SEQUENCE audit_event_seq FROM safeguard_app`);
    await q.query(`GRANT USAGE ON SEQUENCE audit_event_seq TO safeguard_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_event_digest(audit_event)`);
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_refuse_change(), audit_event_chain()`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM safeguard_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM safeguard_app`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM safeguard_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM safeguard_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM safeguard_app`);
  }
}
