import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `child.full_name` and `child.alias_names` become ordinary columns kept by a trigger instead of generated
 * columns. TypeORM's schema diff (`npm run migration:generate`) cannot read a database with generated columns
 * unless it also keeps their expressions in its own `typeorm_metadata` table, keyed by database name; a trigger
 * keeps the same values, indexes and queries without that bookkeeping.
 */
export class ChildSearchNames1763800400000 implements MigrationInterface {
  name = 'ChildSearchNames1763800400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE child ALTER COLUMN full_name DROP EXPRESSION`);
    await q.query(`ALTER TABLE child ALTER COLUMN alias_names DROP EXPRESSION`);
    await q.query(`ALTER TABLE child ALTER COLUMN full_name SET NOT NULL`);
    await q.query(`ALTER TABLE child ALTER COLUMN alias_names SET NOT NULL`);
    // Recomputed on every write, so no statement can leave them out of step with the names.
    await q.query(`
      CREATE FUNCTION child_search_names() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.full_name := NEW.given_name || ' ' || NEW.family_name;
        NEW.alias_names := child_alias_names(NEW.aliases);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER child_search_names BEFORE INSERT OR UPDATE ON child
        FOR EACH ROW EXECUTE FUNCTION child_search_names()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER child_search_names ON child`);
    await q.query(`DROP FUNCTION child_search_names()`);
    await q.query(`DROP INDEX child_full_name_trgm_idx`);
    await q.query(`DROP INDEX child_alias_names_trgm_idx`);
    await q.query(`ALTER TABLE child DROP COLUMN full_name, DROP COLUMN alias_names`);
    await q.query(`
      ALTER TABLE child
        ADD COLUMN full_name text GENERATED ALWAYS AS (given_name || ' ' || family_name) STORED,
        ADD COLUMN alias_names text GENERATED ALWAYS AS (child_alias_names(aliases)) STORED`);
    await q.query(`CREATE INDEX child_full_name_trgm_idx ON child USING gin (full_name gin_trgm_ops)`);
    await q.query(`CREATE INDEX child_alias_names_trgm_idx ON child USING gin (alias_names gin_trgm_ops)`);
  }
}
