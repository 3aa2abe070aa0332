import { MigrationInterface, QueryRunner } from 'typeorm';

const CATEGORIES = `'CRIMINAL_EXPLOITATION','COUNTY_LINES','SEXUAL_EXPLOITATION','TRAFFICKING','LABOUR_EXPLOITATION',
  'GANG_AFFILIATION','MISSING_FROM_HOME','MISSING_FROM_EDUCATION','ONLINE_HARM','NEGLECT','PHYSICAL_ABUSE',
  'EMOTIONAL_ABUSE','SEXUAL_ABUSE','DOMESTIC_ABUSE','RADICALISATION','SUBSTANCE_MISUSE','OTHER'`;
const SETTINGS = `'SECONDARY_SCHOOL','PRIMARY_SCHOOL','HEALTHCARE_INSTITUTION','SOCIAL_MEDIA','ONLINE_GAMING','STREET',
  'HOME','CARE_HOME','OTHER','UNKNOWN'`;
const LEVELS = `'LOW','MEDIUM','HIGH','CRITICAL'`;
const TIERS = `'STANDARD','HEALTH_CONFIDENTIAL','POLICE_RESTRICTED'`;
/**
 * The codes of src/chronology/reference/indicators.json when this migration was written. Adding an indicator to
 * that file needs a migration that widens this check (the chronology e2e test records every code, so a
 * forgotten one fails there).
 */
const INDICATORS = `'MISSING_EPISODE','FOUND_OUT_OF_AREA','EDUCATION_DECLINE','UNEXPLAINED_MONEY_OR_GOODS',
  'MULTIPLE_PHONES','WEAPON','DRUGS_OR_PARAPHERNALIA','DRUGS_PLUGGING','UNUSUAL_TRAVEL',
  'OLDER_OR_CONTROLLING_ASSOCIATES','PEER_ISOLATION','UNEXPLAINED_INJURY','MOOD_OR_SELF_HARM',
  'ANTISOCIAL_OR_OFFENDING','UNKNOWN_PREMISES_OR_HOTEL_KEYS','CARS_WITH_UNKNOWN_ADULTS','RECRUITING_PEERS',
  'WITHDRAWN_DISCLOSURE','ONLINE_GROOMING','DEBT_BONDAGE'`;

/**
 * The chronology (concerns) and risk assessments. Both are append-only records of what professionals knew and
 * judged at the time: a statement-level trigger refuses UPDATE, DELETE and TRUNCATE for every role, so neither
 * a bug nor a compromised application account can rewrite a child's history. Corrections are new rows.
 */
export class Chronology1763800250000 implements MigrationInterface {
  name = 'Chronology1763800250000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION refuse_chronology_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Record a new entry that amends the old one instead.';
      END
      $$`);

    await q.query(`
      CREATE TABLE concern (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        agency_id uuid NOT NULL REFERENCES agency (id),
        recorded_by uuid NOT NULL REFERENCES app_user (id),
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        category text NOT NULL CHECK (category IN (${CATEGORIES})),
        indicators text[] NOT NULL CHECK (indicators <@ ARRAY[${INDICATORS}]::text[]
                                          AND array_position(indicators, NULL) IS NULL),
        recruitment_setting text NOT NULL CHECK (recruitment_setting IN (${SETTINGS})),
        risk_level text NOT NULL CHECK (risk_level IN (${LEVELS})),
        sensitivity text NOT NULL CHECK (sensitivity IN (${TIERS})),
        narrative text NOT NULL CHECK (length(btrim(narrative)) >= 1 AND length(narrative) <= 20000),
        amends_concern_id uuid,
        -- Not in the future. The service checks against its own clock; the slack only absorbs clock skew
        -- between the application and the database.
        CHECK (occurred_at <= recorded_at + interval '5 minutes'),
        CHECK (amends_concern_id IS DISTINCT FROM id),
        UNIQUE (id, child_id),
        -- An amendment corrects an entry about the same child, never another child's.
        FOREIGN KEY (amends_concern_id, child_id) REFERENCES concern (id, child_id)
      )`);
    // The chronology newest first, and keyset pages of it: (occurred_at, id) < cursor within one child.
    await q.query(`CREATE INDEX concern_child_chronology_idx ON concern (child_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX concern_amends_idx ON concern (amends_concern_id) WHERE amends_concern_id IS NOT NULL`);
    // children(filter: { category }) looks for a visible concern of that category per child.
    await q.query(`CREATE INDEX concern_category_child_idx ON concern (category, child_id)`);
    await q.query(`CREATE INDEX concern_agency_idx ON concern (agency_id)`);
    await q.query(`CREATE INDEX concern_recorded_by_idx ON concern (recorded_by)`);
    await q.query(`
      CREATE TRIGGER concern_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON concern
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_chronology_change()`);

    await q.query(`
      CREATE TABLE risk_assessment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL REFERENCES child (id),
        agency_id uuid NOT NULL REFERENCES agency (id),
        assessed_by uuid NOT NULL REFERENCES app_user (id),
        assessed_at timestamptz NOT NULL DEFAULT now(),
        level text NOT NULL CHECK (level IN (${LEVELS})),
        exploitation_types text[] NOT NULL CHECK (exploitation_types <@ ARRAY[${CATEGORIES}]::text[]
                                                  AND array_position(exploitation_types, NULL) IS NULL),
        rationale text NOT NULL CHECK (length(btrim(rationale)) >= 1 AND length(rationale) <= 20000),
        sensitivity text NOT NULL DEFAULT 'STANDARD' CHECK (sensitivity IN (${TIERS}))
      )`);
    // The current risk of a child: the newest assessment the viewer may see.
    await q.query(
      `CREATE INDEX risk_assessment_child_latest_idx ON risk_assessment (child_id, assessed_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX risk_assessment_agency_idx ON risk_assessment (agency_id)`);
    await q.query(`CREATE INDEX risk_assessment_assessed_by_idx ON risk_assessment (assessed_by)`);
    await q.query(`
      CREATE TRIGGER risk_assessment_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON risk_assessment
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_chronology_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE risk_assessment, concern`);
    await q.query(`DROP FUNCTION refuse_chronology_change()`);
  }
}
