import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AgencyKind, Role } from '../../../src/common/enums/agencies';
import { AgencyFactories } from './factories/agencies';
import * as chronology from './factories/chronology';
import { ConferenceFactories } from './factories/conferences';
import { ChildFactories } from './factories/children';
import { GraphQLClient } from './graphql-client';
import type { SignedIn, TestAgency, TestUser } from './factories/test-people';

export type { SignedIn, TestAgency, TestUser };
import { SharingFactories } from './factories/sharing';

/**
 * Arranges data through the modules' own repositories (the rows a test starts from are the rows the service
 * writes, without going through the features under test), and signs people in by minting a real session and
 * token, exactly as `login` would.
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

  /** Agencies, people and sessions, through their repositories. */
  private get agencies(): AgencyFactories {
    return new AgencyFactories(this.db, this.nest);
  }

  async agency(
    overrides: Partial<{ name: string; kind: AgencyKind; firstResponder: boolean; localAuthority: string }> = {},
  ): Promise<TestAgency> {
    return this.agencies.agency(overrides);
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
    return this.agencies.user(options);
  }

  async membership(userId: string, agency: TestAgency, roles: Role[]): Promise<void> {
    await this.agencies.membership(userId, agency, roles);
  }

  /** Signs an existing person in for one of their memberships (or none, for a platform admin). */
  async signIn(user: TestUser, agency: TestAgency | null): Promise<SignedIn> {
    const { sessionId, token } = await this.agencies.session(user, agency);
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

  /** Conferences convened or in session, without the requests that lead there (factories/conferences.ts). */
  get conferences(): ConferenceFactories {
    return new ConferenceFactories(this.db, this.nest);
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
