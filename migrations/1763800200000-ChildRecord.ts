import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The child record (DESIGN §2): one row per child across all agencies, its identifiers (unique per scheme and
 * value, so a second agency registering the same UPN finds the first record), and the involvements that are the
 * basis of default access (DESIGN §4).
 *
 * Name search and matching use pg_trgm: `full_name` and `alias_names` are generated columns so that one GIN
 * trigram index serves ILIKE search and similarity ranking over names and aliases alike. Every index is named
 * explicitly (TypeORM cannot model GIN trigram indexes and would otherwise try to drop them).
 */
export class ChildRecord1763800200000 implements MigrationInterface {
  name = 'ChildRecord1763800200000';

  async up(q: QueryRunner): Promise<void> {
    // array_to_string is only STABLE in general (it calls element output functions); for text[] it is immutable,
    // which a generated column needs.
    await q.query(`
      CREATE FUNCTION child_alias_names(aliases text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT array_to_string(aliases, ' / ') $$`);

    const flags = `'POTENTIAL_VICTIM_OF_EXPLOITATION','NRM_POSITIVE_REASONABLE_GROUNDS',
                   'NRM_POSITIVE_CONCLUSIVE_GROUNDS','UNDER_CHILD_PROTECTION_PLAN'`;
    await q.query(`
      CREATE TABLE child (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        given_name text NOT NULL CHECK (length(btrim(given_name)) BETWEEN 1 AND 100),
        family_name text NOT NULL CHECK (length(btrim(family_name)) BETWEEN 1 AND 100),
        aliases text[] NOT NULL DEFAULT '{}'
          CHECK (cardinality(aliases) <= 20 AND array_position(aliases, NULL) IS NULL),
        date_of_birth date,
        gender text CHECK (length(btrim(gender)) BETWEEN 1 AND 50),
        address text CHECK (length(btrim(address)) BETWEEN 1 AND 500),
        flags text[] NOT NULL DEFAULT '{}' CHECK (flags <@ ARRAY[${flags}]::text[]),
        version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        demo boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        full_name text GENERATED ALWAYS AS (given_name || ' ' || family_name) STORED,
        alias_names text GENERATED ALWAYS AS (child_alias_names(aliases)) STORED
      )`);
    // The list order (keyset pagination on family name, given name, id).
    await q.query(`CREATE INDEX child_list_order_idx ON child (family_name, given_name, id)`);
    await q.query(`CREATE INDEX child_full_name_trgm_idx ON child USING gin (full_name gin_trgm_ops)`);
    await q.query(`CREATE INDEX child_alias_names_trgm_idx ON child USING gin (alias_names gin_trgm_ops)`);
    await q.query(`CREATE INDEX child_family_name_trgm_idx ON child USING gin (family_name gin_trgm_ops)`);
    await q.query(`CREATE INDEX child_date_of_birth_idx ON child (date_of_birth)`);
    await q.query(`CREATE INDEX child_flags_idx ON child USING gin (flags)`);

    await q.query(`
      CREATE TABLE child_identifier (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        scheme text NOT NULL CHECK (scheme IN ('UPN','NHS_NUMBER','LOCAL_AUTHORITY','POLICE_NATIONAL_COMPUTER','OTHER')),
        value text NOT NULL CHECK (length(value) BETWEEN 1 AND 100 AND value = btrim(value)),
        recorded_by_agency_id uuid NOT NULL REFERENCES agency (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One child per identifier: what lets a second agency's registration find the existing record.
    await q.query(`CREATE UNIQUE INDEX child_identifier_scheme_value_key ON child_identifier (scheme, value)`);
    await q.query(`CREATE INDEX child_identifier_child_idx ON child_identifier (child_id)`);

    await q.query(`
      CREATE TABLE involvement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        agency_id uuid NOT NULL REFERENCES agency (id),
        basis text NOT NULL CHECK (basis IN ('PUPIL','OPEN_CASE','INVESTIGATION','REFERRAL','HEALTH_CARE','YOUTH_WORK',
                                             'SUPERVISION')),
        since date NOT NULL,
        until date,
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_by uuid REFERENCES app_user (id),
        CHECK (until IS NULL OR until >= since)
      )`);
    // The INVOLVED access route: an agency's children, looked up on every request.
    await q.query(`CREATE INDEX involvement_agency_child_idx ON involvement (agency_id, child_id) INCLUDE (until)`);
    await q.query(`CREATE INDEX involvement_child_idx ON involvement (child_id)`);
    // At most one open-ended involvement per agency and child, so registering twice cannot duplicate it.
    await q.query(`CREATE UNIQUE INDEX involvement_open_key ON involvement (child_id, agency_id) WHERE until IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE involvement, child_identifier, child`);
    await q.query(`DROP FUNCTION child_alias_names(text[])`);
  }
}
