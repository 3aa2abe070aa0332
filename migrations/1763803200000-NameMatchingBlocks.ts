import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching finds its candidates by blocks that stay small however many children share a name: those born on the
 * day searched for, those whose given and family names sound the same (Double Metaphone, from fuzzystrmatch,
 * in either order) and, without a birth date, those whose given and family names are both like the ones
 * searched for. It no longer takes every child whose full or family name is like the one searched for: with a
 * million children a common family name is shared by ten thousand of them, and one search read and scored tens
 * of thousands of rows (2.4 s).
 *
 * The unaccented given and family names are kept beside `full_name` by the same trigger, so the blocks and the
 * scoring compare stored values instead of unaccenting every candidate's names again.
 */
export class NameMatchingBlocks1763803200000 implements MigrationInterface {
  name = 'NameMatchingBlocks1763803200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE child ADD COLUMN given_name_unaccented text, ADD COLUMN family_name_unaccented text`);
    await q.query(`
      CREATE OR REPLACE FUNCTION child_search_names() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.given_name_unaccented := public.f_unaccent(NEW.given_name);
        NEW.family_name_unaccented := public.f_unaccent(NEW.family_name);
        NEW.full_name := NEW.given_name_unaccented || ' ' || NEW.family_name_unaccented;
        NEW.alias_names := public.f_unaccent(child_alias_names(NEW.aliases));
        RETURN NEW;
      END $$`);
    await q.query(`UPDATE child SET given_name = given_name`);
    await q.query(
      `ALTER TABLE child ALTER COLUMN given_name_unaccented SET NOT NULL, ALTER COLUMN family_name_unaccented SET NOT NULL`,
    );
    await q.query(`DROP INDEX child_family_name_trgm_idx`);
    await q.query(`CREATE INDEX child_given_name_trgm_idx ON child USING gin (given_name_unaccented gin_trgm_ops)`);
    await q.query(`CREATE INDEX child_family_name_trgm_idx ON child USING gin (family_name_unaccented gin_trgm_ops)`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public`);
    await q.query(
      `CREATE INDEX child_name_sounds_idx
         ON child (public.dmetaphone(family_name_unaccented), public.dmetaphone(given_name_unaccented))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX child_name_sounds_idx`);
    await q.query(`DROP EXTENSION fuzzystrmatch`);
    await q.query(`DROP INDEX child_given_name_trgm_idx`);
    await q.query(`DROP INDEX child_family_name_trgm_idx`);
    await q.query(
      `CREATE INDEX child_family_name_trgm_idx ON child USING gin (public.f_unaccent(family_name) gin_trgm_ops)`,
    );
    await q.query(`
      CREATE OR REPLACE FUNCTION child_search_names() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.full_name := public.f_unaccent(NEW.given_name || ' ' || NEW.family_name);
        NEW.alias_names := public.f_unaccent(child_alias_names(NEW.aliases));
        RETURN NEW;
      END $$`);
    await q.query(`ALTER TABLE child DROP COLUMN given_name_unaccented, DROP COLUMN family_name_unaccented`);
  }
}
