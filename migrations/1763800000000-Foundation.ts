import { MigrationInterface, QueryRunner } from 'typeorm';

/** Agencies, people, memberships, invitations, sessions and sign-in throttling. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`);

    await q.query(`
      CREATE TABLE agency (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('SCHOOL','YOUTH_SERVICE','CHILDRENS_SOCIAL_CARE','POLICE','PROSECUTION',
                                           'HEALTH','YOUTH_JUSTICE','VOLUNTARY')),
        local_authority text CHECK (local_authority IS NULL OR length(btrim(local_authority)) BETWEEN 1 AND 200),
        first_responder boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX agency_name_key ON agency (lower(name))`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '_%@_%'),
        display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
        password_hash text,
        platform_admin boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (email)`);
    await q.query(`CREATE INDEX app_user_platform_admin_idx ON app_user (platform_admin) WHERE platform_admin`);

    const roles = `'AGENCY_ADMIN','SAFEGUARDING_LEAD','PRACTITIONER','SOCIAL_WORKER','POLICE_OFFICER','PROSECUTOR',
                   'CONFERENCE_CHAIR','ANALYST'`;
    await q.query(`
      CREATE TABLE membership (
        user_id uuid NOT NULL REFERENCES app_user (id),
        agency_id uuid NOT NULL REFERENCES agency (id),
        roles text[] NOT NULL CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY[${roles}]::text[]),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, agency_id)
      )`);
    await q.query(`CREATE INDEX membership_agency_idx ON membership (agency_id)`);

    await q.query(`
      CREATE TABLE invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agency (id),
        email text NOT NULL CHECK (email = lower(btrim(email))),
        display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
        roles text[] NOT NULL CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY[${roles}]::text[]),
        token_hash text NOT NULL,
        invited_by uuid NOT NULL REFERENCES app_user (id),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX invitation_token_hash_key ON invitation (token_hash)`);
    await q.query(`CREATE INDEX invitation_agency_idx ON invitation (agency_id)`);

    await q.query(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id),
        agency_id uuid REFERENCES agency (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        FOREIGN KEY (user_id, agency_id) REFERENCES membership (user_id, agency_id)
      )`);
    await q.query(`CREATE INDEX auth_session_user_idx ON auth_session (user_id)`);

    await q.query(`
      CREATE TABLE login_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL,
        address text NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_attempt_email_idx ON login_attempt (email, attempted_at)`);
    await q.query(`CREATE INDEX login_attempt_address_idx ON login_attempt (address, attempted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_attempt, auth_session, invitation, membership, app_user, agency`);
  }
}
