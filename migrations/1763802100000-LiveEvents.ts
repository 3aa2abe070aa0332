import { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel every replica LISTENs on (src/live/live-events.ts). */
const CHANNEL = 'safeguard_live';

/** A conference's own rows and the rows that belong to it: a change to any is a change to the conference. */
const CONFERENCE_PARTS: ReadonlyArray<{ table: string; conferenceId: string; on: string }> = [
  { table: 'conference', conferenceId: 'id', on: 'UPDATE' },
  { table: 'conference_invitation', conferenceId: 'conference_id', on: 'INSERT OR UPDATE' },
  { table: 'conference_report', conferenceId: 'conference_id', on: 'INSERT' },
  { table: 'conference_attendance', conferenceId: 'conference_id', on: 'INSERT OR UPDATE' },
  { table: 'conference_dissent', conferenceId: 'conference_id', on: 'INSERT' },
  { table: 'plan_action', conferenceId: 'conference_id', on: 'INSERT OR UPDATE' },
];

/**
 * Live updates across replicas (DESIGN §8): each write that changes a conference or adds a notification signals
 * the channel from inside its own transaction, so PostgreSQL delivers the signal to every replica's listener only
 * if the write commits, and never before. A trigger, not a call in each service, so every writer (a resolver, a
 * reminder job, the demo seed) signals alike.
 *
 * The payload carries ids only, never child data: whoever receives it reads the record afresh, through access.
 * NOTIFY drops identical payloads within one transaction, so a decision that writes the conference, its
 * dissents and its actions signals the conference once.
 */
export class LiveEvents1763802100000 implements MigrationInterface {
  name = 'LiveEvents1763802100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION live_conference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- TG_ARGV[0] names the column that holds the conference's id in the triggering table.
        PERFORM pg_notify('${CHANNEL}', json_build_object('conferenceId', to_jsonb(NEW) ->> TG_ARGV[0])::text);
        RETURN NULL;
      END $$`);
    for (const part of CONFERENCE_PARTS) {
      await q.query(`
        CREATE TRIGGER ${part.table}_live AFTER ${part.on} ON ${part.table}
          FOR EACH ROW EXECUTE FUNCTION live_conference_changed('${part.conferenceId}')`);
    }
    await q.query(`
      CREATE FUNCTION live_notification_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${CHANNEL}', json_build_object('notificationId', NEW.id, 'userId', NEW.user_id)::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER notification_live AFTER INSERT ON notification
        FOR EACH ROW EXECUTE FUNCTION live_notification_added()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER notification_live ON notification`);
    await q.query(`DROP FUNCTION live_notification_added()`);
    for (const part of CONFERENCE_PARTS) await q.query(`DROP TRIGGER ${part.table}_live ON ${part.table}`);
    await q.query(`DROP FUNCTION live_conference_changed()`);
  }
}
