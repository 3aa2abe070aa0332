import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Sensitivity } from '../../../../src/common/enums/chronology';
import { LawfulBasis } from '../../../../src/common/enums/sharing';
import { SharingRepository } from '../../../../src/sharing/sharing.repository';
import type { AccessGrantType, AccessRefusalType, BreakGlassAccessType } from '../../../../src/sharing/sharing.types';
import type { TestAgency, TestUser } from './test-people';

const DAY = 24 * 3600_000;

/**
 * Grants, refusals and break-glass uses, written by the service's own repository so that they are the rows the
 * service would write; no rule is checked (involvement, tiers, roles), so a test can arrange any state.
 */
export class SharingFactories {
  constructor(
    private readonly db: DataSource,
    private readonly nest: INestApplication,
  ) {}

  /** `from` lends `to` the child's record: by default its STANDARD tier, for 30 days. */
  grant(options: {
    childId: string;
    from: TestAgency;
    by: TestUser;
    to: TestAgency;
    tiers?: Sensitivity[];
    lawfulBasis?: LawfulBasis;
    purpose?: string;
    expiresAt?: Date;
  }): Promise<AccessGrantType> {
    return this.repository.insertGrant(this.db.manager, {
      childId: options.childId,
      grantingAgencyId: options.from.id,
      grantedBy: options.by.id,
      granteeAgencyId: options.to.id,
      tiers: options.tiers ?? [Sensitivity.STANDARD],
      lawfulBasis: options.lawfulBasis ?? LawfulBasis.PUBLIC_TASK,
      purpose: options.purpose ?? 'Joint investigation of the same exploitation network.',
      expiresAt: options.expiresAt ?? new Date(Date.now() + 30 * DAY),
    });
  }

  /** `by`, for agency `from`, decided not to share the child's record with `to`. */
  refusal(options: {
    childId: string;
    from: TestAgency;
    by: TestUser;
    to: TestAgency;
    reason?: string;
  }): Promise<AccessRefusalType> {
    return this.repository.insertRefusal(this.db.manager, {
      childId: options.childId,
      decidingAgencyId: options.from.id,
      decidedBy: options.by.id,
      requestingAgencyId: options.to.id,
      reason: options.reason ?? 'The request named no purpose that the record would serve.',
    });
  }

  /** `user`, acting for `agency`, opened emergency access to the child just now: it lasts 60 minutes. */
  breakGlass(options: {
    childId: string;
    user: TestUser;
    agency: TestAgency;
    reason?: string;
  }): Promise<BreakGlassAccessType> {
    return this.repository.openBreakGlass(this.db.manager, {
      childId: options.childId,
      userId: options.user.id,
      agencyId: options.agency.id,
      reason: options.reason ?? 'Missing overnight, found with older associates.',
    });
  }

  private get repository(): SharingRepository {
    return this.nest.get(SharingRepository);
  }
}
