import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AgencyKind, Role } from '../../../src/agencies/agencies.enums';
import { TokenService } from '../../../src/auth/token.service';
import * as chronology from './factories/chronology';
import { ChildFactories } from './factories/children';
import { GraphQLClient } from './graphql-client';
import { SharingFactories } from './factories/sharing';

export interface TestAgency {
  id: string;
  name: string;
  kind: AgencyKind;
}

export interface TestUser {
  id: string;
  email: string;
  displayName: string;
}

/** A signed-in person: their GraphQL client plus who they are. */
export interface SignedIn {
  client: GraphQLClient;
  user: TestUser;
  agency: TestAgency | null;
  token: string;
  sessionId: string;
}

let sequence = 0;
const next = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;

/**
 * Arranges data by inserting rows directly (fast, and independent of the features under test), then signs
 * people in by minting a real session and token, exactly as `login` would.
 */
export class Factories {
  constructor(
    private readonly db: DataSource,
    private readonly nest: INestApplication,
    private readonly baseUrl: string,
  ) {}

  /** Children, their involvements and identifiers (factories/children.ts). */
  get children(): ChildFactories {
    return new ChildFactories(this.db, this.nest);
  }

  async agency(
    overrides: Partial<{ name: string; kind: AgencyKind; firstResponder: boolean; localAuthority: string }> = {},
  ): Promise<TestAgency> {
    const kind = overrides.kind ?? AgencyKind.SCHOOL;
    const name = overrides.name ?? `${kind} ${next()}`;
    const [row] = await this.db.query(
      `INSERT INTO agency (name, kind, local_authority, first_responder) VALUES ($1, $2, $3, $4) RETURNING id`,
      [name, kind, overrides.localAuthority ?? 'Testshire', overrides.firstResponder ?? false],
    );
    return { id: row.id, name, kind };
  }

  /** A person, with a membership in `agency` holding `roles` when an agency is given. */
  async user(
    options: {
      agency?: TestAgency;
      roles?: Role[];
      platformAdmin?: boolean;
      email?: string;
      passwordHash?: string;
    } = {},
  ): Promise<TestUser> {
    const email = options.email ?? `person-${next()}@example.test`;
    const displayName = `Person ${next()}`;
    const [row] = await this.db.query(
      `INSERT INTO app_user (email, display_name, password_hash, platform_admin) VALUES ($1, $2, $3, $4) RETURNING id`,
      [email, displayName, options.passwordHash ?? null, options.platformAdmin ?? false],
    );
    if (options.agency) await this.membership(row.id, options.agency, options.roles ?? [Role.PRACTITIONER]);
    return { id: row.id, email, displayName };
  }

  async membership(userId: string, agency: TestAgency, roles: Role[]): Promise<void> {
    await this.db.query(`INSERT INTO membership (user_id, agency_id, roles) VALUES ($1, $2, $3)`, [
      userId,
      agency.id,
      roles,
    ]);
  }

  /** Signs an existing person in for one of their memberships (or none, for a platform admin). */
  async signIn(user: TestUser, agency: TestAgency | null): Promise<SignedIn> {
    const sessionId = randomUUID();
    const expiresAt = new Date(Date.now() + 3600_000);
    await this.db.query(`INSERT INTO auth_session (id, user_id, agency_id, expires_at) VALUES ($1, $2, $3, $4)`, [
      sessionId,
      user.id,
      agency?.id ?? null,
      expiresAt,
    ]);
    const token = await this.nest.get(TokenService).sign(sessionId, user.id, expiresAt);
    return { client: new GraphQLClient(this.baseUrl, token), user, agency, token, sessionId };
  }

  /** The usual arrangement: a new person in `agency` (a new one of `kind` if none is given) with `roles`. */
  async signedIn(options: { agency?: TestAgency; kind?: AgencyKind; roles?: Role[] } = {}): Promise<SignedIn> {
    const agency = options.agency ?? (await this.agency({ kind: options.kind }));
    const user = await this.user({ agency, roles: options.roles ?? [Role.PRACTITIONER] });
    return this.signIn(user, agency);
  }

  /** Grants, refusals and break-glass uses (factories/sharing.ts). */
  get sharing(): SharingFactories {
    return new SharingFactories(this.db, this.nest);
  }

  async platformAdmin(): Promise<SignedIn> {
    const user = await this.user({ platformAdmin: true });
    return this.signIn(user, null);
  }

  // Chronology (factories/chronology.ts): entries written through the chronology repository.
  concern(spec: chronology.ConcernSpec) {
    return chronology.concern(this.db, this.nest, spec);
  }

  riskAssessment(spec: chronology.RiskAssessmentSpec) {
    return chronology.riskAssessment(this.db, this.nest, spec);
  }
}
