import { MigrationInterface, QueryRunner } from 'typeorm';

const CATEGORIES = `'CRIMINAL_EXPLOITATION', 'COUNTY_LINES', 'SEXUAL_EXPLOITATION', 'TRAFFICKING', 'LABOUR_EXPLOITATION',
  'GANG_AFFILIATION', 'MISSING_FROM_HOME', 'MISSING_FROM_EDUCATION', 'ONLINE_HARM', 'NEGLECT', 'PHYSICAL_ABUSE',
  'EMOTIONAL_ABUSE', 'SEXUAL_ABUSE', 'DOMESTIC_ABUSE', 'RADICALISATION', 'SUBSTANCE_MISUSE', 'OTHER'`;
const DECISIONS = `'PENDING', 'POSITIVE', 'NEGATIVE'`;

/**
 * National Referral Mechanism referrals (DESIGN §2): a first responder refers a child, and the Single Competent
 * Authority decides Reasonable Grounds, then Conclusive Grounds (Modern Slavery Act 2015 statutory guidance).
 *
 * What must hold whatever the application does is a constraint: a decided stage has a date and a pending one
 * none; no decision predates the referral, nor Conclusive Grounds the Reasonable Grounds it follows; Conclusive
 * Grounds is decided only after a positive Reasonable Grounds; the referrer is a member of the referring agency.
 * A decision is recorded by a compare-and-set UPDATE on the stage still being PENDING (NrmRepository), so two
 * people recording the same letter at once cannot both succeed.
 */
export class NrmReferral1763803000000 implements MigrationInterface {
  name = 'NrmReferral1763803000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE nrm_referral (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL CONSTRAINT nrm_referral_child_id_fkey REFERENCES child (id),
        referring_agency_id uuid NOT NULL CONSTRAINT nrm_referral_referring_agency_id_fkey REFERENCES agency (id),
        referred_by uuid NOT NULL CONSTRAINT nrm_referral_referred_by_fkey REFERENCES app_user (id),
        referred_on date NOT NULL,
        exploitation_types text[] NOT NULL,
        reasonable_grounds text NOT NULL DEFAULT 'PENDING',
        reasonable_grounds_on date,
        conclusive_grounds text NOT NULL DEFAULT 'PENDING',
        conclusive_grounds_on date,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT nrm_referral_exploitation_types_check
          CHECK (cardinality(exploitation_types) >= 1 AND exploitation_types <@ ARRAY[${CATEGORIES}]::text[]),
        CONSTRAINT nrm_referral_reasonable_grounds_check CHECK (reasonable_grounds IN (${DECISIONS})),
        CONSTRAINT nrm_referral_conclusive_grounds_check CHECK (conclusive_grounds IN (${DECISIONS})),
        CONSTRAINT nrm_referral_reasonable_grounds_on_check
          CHECK ((reasonable_grounds = 'PENDING') = (reasonable_grounds_on IS NULL)
                 AND (reasonable_grounds_on IS NULL OR reasonable_grounds_on >= referred_on)),
        CONSTRAINT nrm_referral_conclusive_grounds_on_check
          CHECK ((conclusive_grounds = 'PENDING') = (conclusive_grounds_on IS NULL)
                 AND (conclusive_grounds_on IS NULL OR conclusive_grounds_on >= reasonable_grounds_on)),
        CONSTRAINT nrm_referral_stage_order_check
          CHECK (conclusive_grounds = 'PENDING' OR reasonable_grounds = 'POSITIVE'),
        CONSTRAINT nrm_referral_referred_by_referring_agency_id_fkey
          FOREIGN KEY (referred_by, referring_agency_id) REFERENCES membership (user_id, agency_id)
      )`);
    // Child.nrmReferrals, and the child's NRM flags, read a child's referrals.
    await q.query(`CREATE INDEX nrm_referral_child_idx ON nrm_referral (child_id, referred_on)`);
    await q.query(`CREATE INDEX nrm_referral_referring_agency_idx ON nrm_referral (referring_agency_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE child SET flags = array_remove(array_remove(flags, 'NRM_POSITIVE_REASONABLE_GROUNDS'),
                                                          'NRM_POSITIVE_CONCLUSIVE_GROUNDS')`);
    await q.query(`DROP TABLE nrm_referral`);
  }
}
