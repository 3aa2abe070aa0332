import { AgencyKind } from '../common/enums/agencies';

/**
 * Quorum (reference/statutory-rules.md, local procedures): at least three agencies (professional groupings)
 * present, children's social care among them. The chair may proceed with two, children's social care one of them,
 * only in exceptional cases and with a recorded reason.
 */
const QUORUM_AGENCIES = 3;
const EXCEPTIONAL_QUORUM_AGENCIES = 2;

export interface PresentAgency {
  agencyId: string;
  kind: AgencyKind;
}

export interface Quorum {
  met: boolean;
  /** Two agencies present, children's social care one of them: the chair may proceed by giving a reason. */
  mayProceedExceptionally: boolean;
}

export function quorumOf(present: readonly PresentAgency[]): Quorum {
  const agencies = new Map(present.map((agency) => [agency.agencyId, agency.kind]));
  const socialCare = [...agencies.values()].includes(AgencyKind.CHILDRENS_SOCIAL_CARE);
  return {
    met: socialCare && agencies.size >= QUORUM_AGENCIES,
    mayProceedExceptionally: socialCare && agencies.size === EXCEPTIONAL_QUORUM_AGENCIES,
  };
}
