import { MigrationInterface, QueryRunner } from 'typeorm';

const TIERS = `ARRAY['STANDARD','HEALTH_CONFIDENTIAL','POLICE_RESTRICTED']::text[]`;

/**
 * Case conferences (DESIGN §6): the conference and its invitations, reports, attendance, dissents and plan
 * actions. What must hold whatever the application does is a constraint: the state a status implies (a decision
 * only on a DECIDED conference, a reason on a CANCELLED one, `closed_at` on both), an initial conference's
 * strategy discussion and a review's preceding conference, one report and one invitation per agency, and that the
 * chair, the invitee, every attendee and every author acts through a membership of the agency named beside them.
 *
 * The CONFERENCE access route (src/access/conference.rules.ts) reads the chair, the accepted invitations and the
 * attendance on every request, each from an index led by the person and the agency they act for.
 */
export class Conferences1763802000000 implements MigrationInterface {
  name = 'Conferences1763802000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE conference (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        child_id uuid NOT NULL CONSTRAINT conference_child_id_fkey REFERENCES child (id),
        kind text NOT NULL CONSTRAINT conference_kind_check
          CHECK (kind IN ('STRATEGY_DISCUSSION','INITIAL_CHILD_PROTECTION','REVIEW_CHILD_PROTECTION','EXPLOITATION_RISK')),
        status text NOT NULL DEFAULT 'CONVENED' CONSTRAINT conference_status_check
          CHECK (status IN ('CONVENED','IN_SESSION','DECIDED','CANCELLED')),
        chair_id uuid NOT NULL,
        chair_agency_id uuid NOT NULL,
        convened_by uuid NOT NULL CONSTRAINT conference_convened_by_fkey REFERENCES app_user (id),
        convened_at timestamptz NOT NULL DEFAULT now(),
        scheduled_for timestamptz NOT NULL,
        due_by date NOT NULL,
        strategy_discussion_on date,
        preceding_conference_id uuid CONSTRAINT conference_preceding_conference_id_fkey REFERENCES conference (id),
        started_at timestamptz,
        closed_at timestamptz,
        cancellation_reason text CONSTRAINT conference_cancellation_reason_check
          CHECK (length(btrim(cancellation_reason)) BETWEEN 1 AND 2000),
        recommendation text CONSTRAINT conference_recommendation_check
          CHECK (recommendation IN ('VICTIM_PROTECTION','PROSECUTION','DEFER_PENDING_NRM','NO_FURTHER_ACTION')),
        rationale text CONSTRAINT conference_rationale_check CHECK (length(btrim(rationale)) BETWEEN 1 AND 10000),
        decided_by uuid CONSTRAINT conference_decided_by_fkey REFERENCES app_user (id),
        decided_at timestamptz,
        keeps_plan boolean,
        next_review_by date,
        quorum_override_reason text CONSTRAINT conference_quorum_override_reason_check
          CHECK (length(btrim(quorum_override_reason)) BETWEEN 1 AND 2000),
        version integer NOT NULL DEFAULT 1 CONSTRAINT conference_version_check CHECK (version >= 1),
        CONSTRAINT conference_chair_id_chair_agency_id_fkey
          FOREIGN KEY (chair_id, chair_agency_id) REFERENCES membership (user_id, agency_id),
        CONSTRAINT conference_initial_check
          CHECK (kind <> 'INITIAL_CHILD_PROTECTION' OR strategy_discussion_on IS NOT NULL),
        CONSTRAINT conference_review_check
          CHECK (kind <> 'REVIEW_CHILD_PROTECTION' OR preceding_conference_id IS NOT NULL),
        CONSTRAINT conference_started_check CHECK ((status = 'CONVENED') = (started_at IS NULL) OR status = 'CANCELLED'),
        CONSTRAINT conference_closed_check CHECK ((status IN ('DECIDED','CANCELLED')) = (closed_at IS NOT NULL)),
        CONSTRAINT conference_cancelled_check CHECK ((status = 'CANCELLED') = (cancellation_reason IS NOT NULL)),
        CONSTRAINT conference_decided_check CHECK (
          (status = 'DECIDED') = (recommendation IS NOT NULL) AND (recommendation IS NULL) = (rationale IS NULL)
          AND (recommendation IS NULL) = (decided_by IS NULL) AND (recommendation IS NULL) = (decided_at IS NULL)
          AND (recommendation IS NULL) = (keeps_plan IS NULL)),
        CONSTRAINT conference_next_review_check CHECK ((next_review_by IS NOT NULL) = COALESCE(keeps_plan, false))
      )`);
    await q.query(`CREATE INDEX conference_child_idx ON conference (child_id, scheduled_for)`);
    // The CONFERENCE route's chair branch.
    await q.query(`CREATE INDEX conference_chair_idx ON conference (chair_id, chair_agency_id, child_id)`);
    // A decided plan is reviewed once: a second review of the same conference is a duplicate, unless cancelled.
    await q.query(`
      CREATE UNIQUE INDEX conference_review_of_idx ON conference (preceding_conference_id)
      WHERE kind = 'REVIEW_CHILD_PROTECTION' AND status <> 'CANCELLED'`);

    await q.query(`
      CREATE TABLE conference_invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conference_id uuid NOT NULL CONSTRAINT conference_invitation_conference_id_fkey REFERENCES conference (id),
        agency_id uuid NOT NULL CONSTRAINT conference_invitation_agency_id_fkey REFERENCES agency (id),
        invitee_id uuid,
        response text NOT NULL DEFAULT 'PENDING' CONSTRAINT conference_invitation_response_check
          CHECK (response IN ('PENDING','ACCEPTED','DECLINED')),
        responded_at timestamptz,
        CONSTRAINT conference_invitation_invitee_id_agency_id_fkey
          FOREIGN KEY (invitee_id, agency_id) REFERENCES membership (user_id, agency_id),
        CONSTRAINT conference_invitation_responded_check
          CHECK ((response = 'PENDING') = (responded_at IS NULL) AND (response = 'PENDING') = (invitee_id IS NULL)),
        CONSTRAINT conference_invitation_agency_key UNIQUE (conference_id, agency_id)
      )`);
    // The CONFERENCE route's invitee branch; and the invitations an agency has to answer.
    await q.query(`
      CREATE INDEX conference_invitation_accepted_idx ON conference_invitation (invitee_id, agency_id, conference_id)
      WHERE response = 'ACCEPTED'`);
    await q.query(`CREATE INDEX conference_invitation_agency_idx ON conference_invitation (agency_id, conference_id)`);

    await q.query(`
      CREATE TABLE conference_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conference_id uuid NOT NULL CONSTRAINT conference_report_conference_id_fkey REFERENCES conference (id),
        agency_id uuid NOT NULL CONSTRAINT conference_report_agency_id_fkey REFERENCES agency (id),
        author_id uuid NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        content text NOT NULL CONSTRAINT conference_report_content_check CHECK (length(btrim(content)) BETWEEN 1 AND 20000),
        sensitivity text NOT NULL CONSTRAINT conference_report_sensitivity_check CHECK (sensitivity = ANY (${TIERS})),
        CONSTRAINT conference_report_author_id_agency_id_fkey
          FOREIGN KEY (author_id, agency_id) REFERENCES membership (user_id, agency_id),
        CONSTRAINT conference_report_agency_key UNIQUE (conference_id, agency_id)
      )`);

    await q.query(`
      CREATE TABLE conference_attendance (
        conference_id uuid NOT NULL CONSTRAINT conference_attendance_conference_id_fkey REFERENCES conference (id),
        user_id uuid NOT NULL,
        agency_id uuid NOT NULL CONSTRAINT conference_attendance_agency_id_fkey REFERENCES agency (id),
        present boolean NOT NULL,
        CONSTRAINT conference_attendance_pkey PRIMARY KEY (conference_id, user_id),
        CONSTRAINT conference_attendance_user_id_agency_id_fkey
          FOREIGN KEY (user_id, agency_id) REFERENCES membership (user_id, agency_id)
      )`);
    // The CONFERENCE route's attendee branch.
    await q.query(`
      CREATE INDEX conference_attendance_present_idx ON conference_attendance (user_id, agency_id, conference_id)
      WHERE present`);

    await q.query(`
      CREATE TABLE conference_dissent (
        conference_id uuid NOT NULL CONSTRAINT conference_dissent_conference_id_fkey REFERENCES conference (id),
        agency_id uuid NOT NULL CONSTRAINT conference_dissent_agency_id_fkey REFERENCES agency (id),
        note text NOT NULL CONSTRAINT conference_dissent_note_check CHECK (length(btrim(note)) BETWEEN 1 AND 2000),
        CONSTRAINT conference_dissent_pkey PRIMARY KEY (conference_id, agency_id)
      )`);

    await q.query(`
      CREATE TABLE plan_action (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conference_id uuid NOT NULL CONSTRAINT plan_action_conference_id_fkey REFERENCES conference (id),
        position integer NOT NULL,
        description text NOT NULL CONSTRAINT plan_action_description_check
          CHECK (length(btrim(description)) BETWEEN 1 AND 2000),
        owner_agency_id uuid NOT NULL CONSTRAINT plan_action_owner_agency_id_fkey REFERENCES agency (id),
        owner_id uuid,
        due_on date NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CONSTRAINT plan_action_status_check
          CHECK (status IN ('OPEN','DONE','CANCELLED')),
        version integer NOT NULL DEFAULT 1 CONSTRAINT plan_action_version_check CHECK (version >= 1),
        updated_by uuid CONSTRAINT plan_action_updated_by_fkey REFERENCES app_user (id),
        updated_at timestamptz,
        CONSTRAINT plan_action_owner_id_owner_agency_id_fkey
          FOREIGN KEY (owner_id, owner_agency_id) REFERENCES membership (user_id, agency_id),
        CONSTRAINT plan_action_position_key UNIQUE (conference_id, position)
      )`);
    // Reminders look for open actions by their due date.
    await q.query(`CREATE INDEX plan_action_open_due_idx ON plan_action (due_on) WHERE status = 'OPEN'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE plan_action, conference_dissent, conference_attendance, conference_report, conference_invitation, conference`,
    );
  }
}
