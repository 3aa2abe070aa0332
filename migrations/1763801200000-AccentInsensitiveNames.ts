import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name search and matching ignore accents: "Siobhan" finds "Siobhán", and "Zoe" "Zoë". A practitioner types the
 * name as they heard it, often without the accents, and a missed match is a second record of the same child
 * (trigrams and ILIKE already ignore case).
 *
 * `unaccent()` is only STABLE (it reads a dictionary that could be changed), and an index needs an IMMUTABLE
 * expression, so `f_unaccent` wraps it with the dictionary named, schema-qualified so that no search_path can
 * change what it calls. The dictionary ships with PostgreSQL and is not changed here; should it ever be, the
 * search columns and the family-name index are rebuilt with it (as `up` does below).
 *
 * The search columns kept by the child_search_names trigger hold the unaccented names; the family-name trigram
 * index that matching uses becomes an index on the unaccented family name.
 */
export class AccentInsensitiveNames1763801200000 implements MigrationInterface {
  name = 'AccentInsensitiveNames1763801200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public`);
    await q.query(`
      CREATE FUNCTION public.f_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION child_search_names() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.full_name := public.f_unaccent(NEW.given_name || ' ' || NEW.family_name);
        NEW.alias_names := public.f_unaccent(child_alias_names(NEW.aliases));
        RETURN NEW;
      END $$`);
    // The trigger recomputes both columns on any update.
    await q.query(`UPDATE child SET given_name = given_name`);
    await q.query(`DROP INDEX child_family_name_trgm_idx`);
    await q.query(
      `CREATE INDEX child_family_name_trgm_idx ON child USING gin (public.f_unaccent(family_name) gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX child_family_name_trgm_idx`);
    await q.query(`CREATE INDEX child_family_name_trgm_idx ON child USING gin (family_name gin_trgm_ops)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION child_search_names() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.full_name := NEW.given_name || ' ' || NEW.family_name;
        NEW.alias_names := child_alias_names(NEW.aliases);
        RETURN NEW;
      END $$`);
    await q.query(`UPDATE child SET given_name = given_name`);
    await q.query(`DROP FUNCTION public.f_unaccent(text)`);
    await q.query(`DROP EXTENSION unaccent`);
  }
}
