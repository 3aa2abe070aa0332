import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { IdentifierScheme, InvolvementBasis } from '../../../../src/common/enums/children';
import { ChildrenRepository, type NewChild } from '../../../../src/children/children.repository';

/** An agency, as far as a child's record needs one. */
interface AgencyRef {
  id: string;
}

export interface InvolvementOptions {
  basis?: InvolvementBasis;
  /** The day it began; a past day by default, so that it may also have ended. */
  since?: string;
  /** The day it ends (or ended): a past day is an involvement that no longer gives access. */
  until?: string | null;
}

/**
 * Child records through the same repository as registration, so that what a test arranges is what the service
 * would have stored: `child()` alone is a record no agency reaches; `involved` makes it its agencies' children.
 */
export class ChildFactories {
  private readonly repository: ChildrenRepository;

  constructor(
    private readonly db: DataSource,
    nest: INestApplication,
  ) {
    this.repository = nest.get(ChildrenRepository);
  }

  /** A child (Kai Test unless told otherwise), with an active involvement of each of `involved`. */
  async child(
    details: Partial<NewChild> & { involved?: readonly AgencyRef[]; basis?: InvolvementBasis } = {},
  ): Promise<string> {
    const { involved = [], basis, ...given } = details;
    const childId = await this.repository.insertChild(this.db.manager, {
      givenName: 'Kai',
      familyName: 'Test',
      aliases: [],
      dateOfBirth: null,
      gender: null,
      address: null,
      createdBy: null,
      ...given,
    });
    for (const agency of involved) await this.involvement(childId, agency, { basis });
    return childId;
  }

  /** `count` children (family names "<familyName> 001", "002"... in list order), each involving `involved`. */
  async children(
    count: number,
    details: Partial<NewChild> & { involved?: readonly AgencyRef[]; basis?: InvolvementBasis } = {},
  ): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 1; n <= count; n++) {
      const familyName = `${details.familyName ?? 'Test'} ${String(n).padStart(3, '0')}`;
      ids.push(await this.child({ ...details, familyName }));
    }
    return ids;
  }

  /** The agency's involvement with the child, ended on `until` when given. */
  async involvement(childId: string, agency: AgencyRef, options: InvolvementOptions = {}): Promise<string> {
    const id = await this.repository.openInvolvement(this.db.manager, {
      childId,
      agencyId: agency.id,
      basis: options.basis ?? InvolvementBasis.REFERRAL,
      since: options.since ?? '2019-01-01',
      createdBy: null,
    });
    if (!id) throw new Error(`the agency ${agency.id} is already involved with the child ${childId}`);
    if (options.until) await this.repository.endInvolvement(this.db.manager, id, options.until, null);
    return id;
  }

  /** An identifier of the child, recorded by `recordedBy`. */
  async identifier(childId: string, scheme: IdentifierScheme, value: string, recordedBy: AgencyRef): Promise<void> {
    const added = await this.repository.addIdentifiers(this.db.manager, childId, [{ scheme, value }], recordedBy.id);
    if (added.length === 0) throw new Error(`the identifier ${scheme} ${value} belongs to a child already`);
  }
}
