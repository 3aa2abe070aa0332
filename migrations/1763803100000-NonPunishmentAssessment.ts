import { MigrationInterface, QueryRunner } from 'typeorm';

const OUTCOMES = `'NO_PROSECUTION', 'PROSECUTE', 'DEFER_PENDING_NRM'`;
const RECOMMENDATIONS = `'VICTIM_PROTECTION', 'PROSECUTION', 'DEFER_PENDING_NRM', 'NO_FURTHER_ACTION'`;
const KINDS_BEFORE = `'CONFERENCE_INVITATION','REPORT_DUE','CONFERENCE_DECIDED','DEADLINE_APPROACHING','ACTION_OVERDUE',
  'BREAK_GLASS_TO_REVIEW','ACCESS_GRANTED','INVOLVEMENT_REQUESTED','INVOLVEMENT_DECIDED'`;

/**
 * The prosecutor's non-punishment assessment (DESIGN §2; CPS guidance on suspects who may be victims of
 * trafficking or slavery; Modern Slavery Act 2015 s45). Append-only: a new assessment supersedes the child's
 * latest one, named by `supersedes_id`, which is unique, and only one assessment per child supersedes nothing, so
 * two prosecutors recording at once cannot both supersede the same one (the second is a CONFLICT). The
 * application's role may insert and read assessments, never change or delete them: a charging decision once
 * recorded stays on the record as it was made.
 *
 * What the law settles whatever the application does is a constraint too: the s45 defence is never available for
 * a Schedule 4 offence (s45(7)); a prosecution is not the outcome where duress or the s45 defence is evidenced
 * (CPS stages 2 and 3: discontinue on evidential grounds); the defence is available only with a limb to rest on
 * (the age on the offence date) and a reason to believe the suspect is a victim.
 * NON_PUNISHMENT_OUTCOME is a new kind of notification.
 */
export class NonPunishmentAssessment1763803100000 implements MigrationInterface {
  name = 'NonPunishmentAssessment1763803100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE non_punishment_assessment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL CONSTRAINT non_punishment_assessment_child_id_fkey REFERENCES child (id),
        prosecuting_agency_id uuid NOT NULL
          CONSTRAINT non_punishment_assessment_prosecuting_agency_id_fkey REFERENCES agency (id),
        decided_by uuid NOT NULL CONSTRAINT non_punishment_assessment_decided_by_fkey REFERENCES app_user (id),
        decided_at timestamptz NOT NULL DEFAULT now(),
        supersedes_id uuid
          CONSTRAINT non_punishment_assessment_supersedes_id_fkey REFERENCES non_punishment_assessment (id)
          CONSTRAINT non_punishment_assessment_supersedes_id_key UNIQUE,
        offence text NOT NULL,
        offence_date date NOT NULL,
        section45_limb text,
        conference_recommendation text,
        schedule_four_offence boolean NOT NULL,
        reason_to_believe_victim boolean NOT NULL,
        reason_to_believe_basis text NOT NULL,
        duress_evidence boolean NOT NULL,
        section45_defence_available boolean NOT NULL,
        public_interest_rationale text NOT NULL,
        nrm_referral_intended boolean NOT NULL DEFAULT false,
        outcome text NOT NULL,
        CONSTRAINT non_punishment_assessment_offence_check CHECK (length(btrim(offence)) BETWEEN 1 AND 500),
        CONSTRAINT non_punishment_assessment_reason_to_believe_basis_check
          CHECK (length(btrim(reason_to_believe_basis)) BETWEEN 1 AND 5000),
        CONSTRAINT non_punishment_assessment_public_interest_rationale_check
          CHECK (length(btrim(public_interest_rationale)) BETWEEN 1 AND 10000),
        CONSTRAINT non_punishment_assessment_section45_limb_check CHECK (section45_limb IN ('CHILD', 'ADULT')),
        CONSTRAINT non_punishment_assessment_conference_recommendation_check
          CHECK (conference_recommendation IN (${RECOMMENDATIONS})),
        CONSTRAINT non_punishment_assessment_outcome_check CHECK (outcome IN (${OUTCOMES})),
        CONSTRAINT non_punishment_assessment_schedule_four_check
          CHECK (NOT (schedule_four_offence AND section45_defence_available)),
        CONSTRAINT non_punishment_assessment_evidential_check
          CHECK (outcome <> 'PROSECUTE' OR NOT (duress_evidence OR section45_defence_available)),
        CONSTRAINT non_punishment_assessment_section45_check
          CHECK (NOT section45_defence_available OR (section45_limb IS NOT NULL AND reason_to_believe_victim)),
        CONSTRAINT non_punishment_assessment_decided_by_prosecuting_agency_id_fkey
          FOREIGN KEY (decided_by, prosecuting_agency_id) REFERENCES membership (user_id, agency_id)
      )`);
    // Child.nonPunishmentAssessments reads a child's assessments in order; the first one supersedes nothing.
    await q.query(
      `CREATE INDEX non_punishment_assessment_child_idx ON non_punishment_assessment (child_id, decided_at)`,
    );
    await q.query(`
      CREATE UNIQUE INDEX non_punishment_assessment_first_key ON non_punishment_assessment (child_id)
       WHERE supersedes_id IS NULL`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON non_punishment_assessment FROM safeguard_app`);
    await q.query(`
      ALTER TABLE notification DROP CONSTRAINT notification_kind_check,
        ADD CONSTRAINT notification_kind_check CHECK (kind IN (${KINDS_BEFORE}, 'NON_PUNISHMENT_OUTCOME'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notification WHERE kind = 'NON_PUNISHMENT_OUTCOME'`);
    await q.query(`
      ALTER TABLE notification DROP CONSTRAINT notification_kind_check,
        ADD CONSTRAINT notification_kind_check CHECK (kind IN (${KINDS_BEFORE}))`);
    await q.query(`DROP TABLE non_punishment_assessment`);
  }
}
