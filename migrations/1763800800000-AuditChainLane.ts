import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_CHAIN_LOCK, AUDIT_LANES } from './1763800300000-AuditLog';

/** Takes the first lane no other transaction holds, from this connection's own; waits only if every lane is busy. */
const TAKE_A_LANE = `
  FOR i IN 0 .. ${AUDIT_LANES} LOOP
    NEW.lane := (pg_backend_pid() + i) % ${AUDIT_LANES};
    IF i = ${AUDIT_LANES} THEN
      PERFORM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK} + NEW.lane);
    ELSIF pg_try_advisory_xact_lock(${AUDIT_CHAIN_LOCK} + NEW.lane) THEN
      EXIT;
    END IF;
  END LOOP;`;

/** The trigger function, choosing the lane with `lane` (PL/pgSQL statements that set NEW.lane). */
function chainFunction(options: string, lane: string): string {
  return `
    CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql ${options} AS $$
    DECLARE
      head record;
    BEGIN
      IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit events must be appended in a READ COMMITTED transaction';
      END IF;
      ${lane}
      SELECT seq, hash INTO head FROM audit_event WHERE lane = NEW.lane ORDER BY seq DESC LIMIT 1;
      NEW.seq := nextval('audit_event_seq');
      NEW.at := now();
      NEW.prev_seq := head.seq;
      NEW.prev_hash := coalesce(head.hash, '\\x'::bytea);
      NEW.hash := audit_event_digest(NEW);
      RETURN NEW;
    END $$`;
}

/**
 * The audit chain is the database's alone (issue 9): nothing a client sets can choose the lane or the link.
 *
 * The chaining trigger of migration AuditLog kept the lane a transaction held in the setting `audit.lane`, and
 * trusted it without taking that lane's lock. Any session may set a custom setting, so the application's role
 * could name a lane another transaction was appending to and both events would follow the same predecessor: a
 * fork. Its unqualified table and sequence names also resolved through the caller's search_path, where a
 * session's temporary table comes first, so a forged head could be read as the lane's previous event.
 *
 * Now the trigger holds the lock of whatever lane it appends to, every time. It still starts from the lane of
 * the connection's backend pid and takes the first lane no one else holds, so concurrent appends rarely wait.
 * Advisory locks are re-entrant: a transaction already holding a lane gets it again without waiting, and since
 * the loop tries every lane before it blocks, a transaction only ever waits while holding none (no deadlock).
 * The function runs with a fixed search_path, so every name means the owner's object.
 */
export class AuditChainLane1763800800000 implements MigrationInterface {
  name = 'AuditChainLane1763800800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(chainFunction('SET search_path = public, pg_temp', TAKE_A_LANE));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      chainFunction(
        '',
        `IF coalesce(current_setting('audit.lane', true), '') <> '' THEN
           NEW.lane := current_setting('audit.lane')::smallint;
         ELSE
           ${TAKE_A_LANE}
           PERFORM set_config('audit.lane', NEW.lane::text, true);
         END IF;`,
      ),
    );
  }
}
