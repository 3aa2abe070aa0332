import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AgencyKind, Role } from '../../../../src/common/enums/agencies';
import { AgenciesRepository } from '../../../../src/agencies/agencies.repository';
import { AuthRepository } from '../../../../src/auth/auth.repository';
import { TokenService } from '../../../../src/auth/token.service';
import type { TestAgency, TestUser } from './test-people';

let sequence = 0;
const next = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;

/**
 * Agencies, people, memberships and sessions, written through the application's own repositories, so a
 * factory's rows are the rows the service writes (and a schema change breaks them where it breaks the service).
 */
export class AgencyFactories {
  constructor(
    private readonly db: DataSource,
    private readonly nest: INestApplication,
  ) {}

  async agency(
    overrides: Partial<{ name: string; kind: AgencyKind; firstResponder: boolean; localAuthority: string }> = {},
  ): Promise<TestAgency> {
    const kind = overrides.kind ?? AgencyKind.SCHOOL;
    const name = overrides.name ?? `${kind} ${next()}`;
    const agency = await this.nest.get(AgenciesRepository).insertAgency(this.db.manager, {
      name,
      kind,
      localAuthority: overrides.localAuthority ?? 'Testshire',
      firstResponder: overrides.firstResponder ?? false,
    });
    return { id: agency.id, name, kind };
  }

  async user(options: {
    agency?: TestAgency;
    roles?: Role[];
    platformAdmin?: boolean;
    email?: string;
    passwordHash?: string;
  }): Promise<TestUser> {
    const email = options.email ?? `person-${next()}@example.test`;
    const displayName = `Person ${next()}`;
    const id = await this.nest.get(AgenciesRepository).insertUser(this.db.manager, {
      email,
      displayName,
      passwordHash: options.passwordHash ?? null,
      platformAdmin: options.platformAdmin ?? false,
    });
    if (options.agency) await this.membership(id, options.agency, options.roles ?? [Role.PRACTITIONER]);
    return { id, email, displayName };
  }

  membership(userId: string, agency: TestAgency, roles: Role[]): Promise<void> {
    return this.nest.get(AgenciesRepository).insertMembership(this.db.manager, userId, agency.id, roles);
  }

  /** A live session of the person for one of their memberships (or none), and its signed token. */
  async session(user: TestUser, agency: TestAgency | null): Promise<{ sessionId: string; token: string }> {
    const expiresAt = new Date(Date.now() + 3600_000);
    const sessionId = await this.nest
      .get(AuthRepository)
      .insertSession(this.db.manager, { userId: user.id, agencyId: agency?.id ?? null, expiresAt });
    const token = await this.nest.get(TokenService).sign(sessionId, user.id, expiresAt);
    return { sessionId, token };
  }
}
